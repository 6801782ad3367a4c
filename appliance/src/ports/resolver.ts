/**
 * The public DNS as the domain claim sees it (gate 6): the configured resolvers, never our
 * own knotd, which does not serve the domain before it is bound.
 */
export interface TxtResolver {
  /**
   * The TXT records at `name`, each as its character-strings; [] when the name or the type
   * does not exist. Raises DNS_BACKEND_FAILED when no resolver gave an answer.
   */
  txt(name: string): Promise<string[][]>;
}
