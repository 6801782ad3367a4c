/** ISO 3166-1 alpha-2, optionally a subdivision suffix (ISO 3166-2 style), as gate 9 accepts it. */
export const JURISDICTION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

/**
 * The 27 EU member states (ISO 3166-1 alpha-2; Greece is GR, not the EU's own EL). A pool
 * tagged `EU` serves any of them. Changing membership is a reviewed code change, on purpose.
 */
export const EU_MEMBERS: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
  'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
]);

/** True for a well-formed jurisdiction tag. */
export function isJurisdiction(x: unknown): x is string {
  return typeof x === 'string' && JURISDICTION.test(x);
}

/**
 * Whether storage tagged `pool` may hold data of jurisdiction `subject` (gate 14):
 * a country pool serves the country and all its subdivisions, a subdivision pool serves
 * only that subdivision, and `EU` serves any member state. Anything else is incompatible.
 */
export function storageCompatible(pool: string, subject: string): boolean {
  const country = subject.slice(0, 2);
  if (pool === 'EU') return EU_MEMBERS.has(country);
  if (!JURISDICTION.test(pool)) return false;
  return pool.includes('-') ? pool === subject : pool === country;
}
