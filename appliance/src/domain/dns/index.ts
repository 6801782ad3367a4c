/** Pure DNS rules: names, record data, RRset changes and the initial zone file. */
export { MAX_LABEL_LENGTH, MAX_NAME_LENGTH, fqdn, inZone, parseName, parseZoneName, type NameKind } from './name.js';
export { MAX_STRING_OCTETS, parseQuotedStrings, quoteBytes, txtFromText } from './text.js';
export { canonicalRdata } from './rdata.js';
export { MAX_RECORDS_PER_RRSET, MAX_RRSETS_PER_CHANGE, validateChange, validateRRset } from './change.js';
export { planChange, type ChangePlan, type PresentRRset } from './plan.js';
export { APEX_TTL, SOA_TIMERS, initialZoneFile, soaRname, type ZoneOptions } from './zone-file.js';
export { MAX_TTL, MIN_TTL, RR_TYPES, isDelete, type RRType, type RRset, type RRsetChange, type RRsetDelete } from './types.js';
export { ZONE_STATE_MEDIA_TYPE, applyToState, diffStates, emptyDigest, normalizeState, stateBytes, stateDigest, type StateDiff, type ZoneState } from './content.js';
export { CHALLENGE_LIFETIME_MS, CHALLENGE_TTL, challengeMatches, challengeName, challengeValue } from './challenge.js';
