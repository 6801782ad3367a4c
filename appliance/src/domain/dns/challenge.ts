/**
 * Domain control validation by DNS TXT (draft-ietf-dnsop-domain-verification-techniques):
 * a provider-specific underscore label, a unique random token that expires, and a short TTL
 * the owner is asked to use so the record can be removed quickly afterwards.
 */
export const CHALLENGE_LABEL = '_nexus-challenge';
export const CHALLENGE_PREFIX = 'nexus-challenge=';
/** The TTL we ask the owner to publish the record with (seconds). */
export const CHALLENGE_TTL = 300;
/** How long a token stays valid: long enough for a registrar's DNS to catch up. */
export const CHALLENGE_LIFETIME_MS = 72 * 3600 * 1000;

/** Where the owner publishes the token. */
export const challengeName = (domain: string): string => `${CHALLENGE_LABEL}.${domain}`;

/** The TXT value that proves control: the prefix, then the token. */
export const challengeValue = (token: string): string => `${CHALLENGE_PREFIX}${token}`;

/**
 * True when one TXT record (its character-strings joined, RFC 7208 §3.3 style) is exactly
 * the expected value. Other TXT records at the name are ignored; a near match is not one.
 */
export function challengeMatches(records: readonly (readonly string[])[], token: string): boolean {
  const want = challengeValue(token);
  return records.some((strings) => strings.join('') === want);
}
