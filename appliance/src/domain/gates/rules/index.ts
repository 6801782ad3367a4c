import type { ErrorCode } from '@nexus-cos/sdk';
import type { Gate } from '../types.js';
import { identityProof } from './g01-identity-proof.js';
import { resourceBinding } from './g02-resource-binding.js';
import { revenueLaw } from './g03-revenue-law.js';
import { meteringCoverage } from './g04-metering-coverage.js';
import { ledgerIntegrity } from './g05-ledger-integrity.js';
import { domainOwnership } from './g06-domain-ownership.js';
import { dnsMutation } from './g07-dns-mutation.js';
import { mailIdentity } from './g08-mail-identity.js';
import { jurisdictionTagging } from './g09-jurisdiction-tagging.js';
import { consentLogging } from './g10-consent-logging.js';
import { auditLogging } from './g11-audit-logging.js';
import { capacityHonesty } from './g12-capacity-honesty.js';
import { networkHonesty } from './g13-network-honesty.js';
import { dataResidency } from './g14-data-residency.js';
import { exitReadiness } from './g15-exit-readiness.js';
import { keyLifecycle } from './g16-key-lifecycle.js';
import { platformNonRepudiation } from './g17-platform-non-repudiation.js';

/** The 17 gates in evaluation order: GATES[i].id === i + 1. */
export const GATES: readonly Gate[] = Object.freeze([
  identityProof, resourceBinding, revenueLaw, meteringCoverage, ledgerIntegrity, domainOwnership,
  dnsMutation, mailIdentity, jurisdictionTagging, consentLogging, auditLogging, capacityHonesty,
  networkHonesty, dataResidency, exitReadiness, keyLifecycle, platformNonRepudiation,
]);

/** Gate id to the error code a denial caused by that gate carries (spec/errors.md). */
export const GATE_ERROR_CODES: Readonly<Record<number, ErrorCode>> = Object.freeze({
  1: 'GATE_IDENTITY_PROOF',
  2: 'GATE_RESOURCE_BINDING',
  3: 'GATE_REVENUE_LAW',
  4: 'GATE_METERING_COVERAGE',
  5: 'GATE_LEDGER_INTEGRITY',
  6: 'GATE_DOMAIN_OWNERSHIP',
  7: 'GATE_DNS_MUTATION',
  8: 'GATE_MAIL_IDENTITY',
  9: 'GATE_JURISDICTION',
  10: 'GATE_CONSENT',
  11: 'GATE_AUDIT',
  12: 'GATE_CAPACITY_HONESTY',
  13: 'GATE_NETWORK_HONESTY',
  14: 'GATE_DATA_RESIDENCY',
  15: 'GATE_EXIT_READINESS',
  16: 'GATE_KEY_LIFECYCLE',
  17: 'GATE_NON_REPUDIATION',
});

export {
  identityProof, resourceBinding, revenueLaw, meteringCoverage, ledgerIntegrity, domainOwnership,
  dnsMutation, mailIdentity, jurisdictionTagging, consentLogging, auditLogging, capacityHonesty,
  networkHonesty, dataResidency, exitReadiness, keyLifecycle, platformNonRepudiation,
};
