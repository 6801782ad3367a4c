/**
 * Nonces seen, each remembered until its request expires (spec/requests.md §5). `durable`
 * says whether they survive a restart: if not, the authenticator must refuse requests
 * created before the process started, since it cannot know whether they were seen.
 */
export interface NonceStore {
  readonly durable: boolean;
  /** Records `nonce` until `expires`; true when it was already held (a replay) or cannot be held. */
  seen(nonce: string, expires: number, now: number): boolean;
}
