import type { TSchema } from '@sinclair/typebox';
import { DNS_TRANSFER_MEDIA_TYPE, DnsTransfer } from './dns.js';
import { ENVELOPE_MEDIA_TYPE, Envelope } from './envelope.js';
import { EXIT_BUNDLE_MANIFEST_MEDIA_TYPE, ExitBundleManifest } from './exit-bundle.js';
import { GATE_DECISION_MEDIA_TYPE, GateDecision } from './gate.js';
import { IDENTITY_MEDIA_TYPE, KEY_ROTATION_MEDIA_TYPE, Identity, KeyRotation } from './identity.js';
import { LEGAL_HOLD_MEDIA_TYPE, LegalHold } from './legal-hold.js';
import { CONSENT_MEDIA_TYPE, IMVU_MEDIA_TYPE, Consent, Imvu } from './imvu.js';
import { LEDGER_ENTRY_MEDIA_TYPE, LedgerEntry } from './ledger.js';
import {
  CHECKPOINT_MEDIA_TYPE,
  CONSISTENCY_PROOF_MEDIA_TYPE,
  HEAD_PROOF_MEDIA_TYPE,
  INCLUSION_PROOF_MEDIA_TYPE,
  Checkpoint,
  ConsistencyProof,
  HeadProof,
  InclusionProof,
  LEDGER_SLICE_MEDIA_TYPE,
  LedgerSlice,
} from './merkle.js';
import { RATE_CARD_MEDIA_TYPE, STATEMENT_MEDIA_TYPE, RateCard, Statement } from './revenue.js';
import { TRUSTED_ROOT_MEDIA_TYPE, TrustedRoot } from './trusted-root.js';
import { REVENUE_REPORT_MEDIA_TYPE, RevenueReport } from './revenue-report.js';
import { STATEMENT_BUNDLE_MEDIA_TYPE, StatementBundle } from './statement-bundle.js';
import { REQUEST_MEDIA_TYPE, SignedRequest } from './request.js';

export { Base64, Base64Bytes32, Sha256Hex, DidKey, Timestamp, UIntString, ImvuId, Jurisdiction, assertSchema } from './common.js';
export { ENVELOPE_MEDIA_TYPE, Envelope, EnvelopeSignature } from './envelope.js';
export {
  IDENTITY_MEDIA_TYPE,
  KEY_ROTATION_MEDIA_TYPE,
  Ed25519PublicKeyBase64,
  IdentityStatus,
  Identity,
  RotationSigner,
  KeyRotation,
  assertIdentityV1,
  assertKeyRotationV1,
} from './identity.js';
export {
  IMVU_MEDIA_TYPE,
  CONSENT_MEDIA_TYPE,
  DomainName,
  Mailbox,
  ResourceName,
  Purpose,
  ImvuStatus,
  Consent,
  ImvuResources,
  ImvuQuotas,
  Imvu,
  assertImvuV1,
  assertConsentV1,
} from './imvu.js';
export {
  GATE_DECISION_MEDIA_TYPE,
  GATE_NAME_LIST,
  GATE_NAMES,
  GateId,
  GateNameSchema,
  GateOutcome,
  ActionName,
  GateResult,
  GateDecision,
  assertGateDecisionV1,
  type GateName,
} from './gate.js';
export {
  LEDGER_ENTRY_MEDIA_TYPE,
  GENESIS_PREV,
  LEDGER_KINDS,
  UsageEntry,
  RevenueEntry,
  AuditEntry,
  NoticeEntry,
  ConsentEntry,
  KeyRotationEntry,
  DnsChangeEntry,
  MailEntry,
  ComputeEntry,
  GateDecisionEntry,
  StatementEntry,
  CheckpointEntry,
  ImportEntry,
  RateCardEntry,
  LedgerEntry,
  assertLedgerEntryV1,
  type LedgerKind,
  type LedgerEntryOf,
} from './ledger.js';
export {
  CHECKPOINT_MEDIA_TYPE,
  INCLUSION_PROOF_MEDIA_TYPE,
  CONSISTENCY_PROOF_MEDIA_TYPE,
  Base64Hash,
  SignedNoteText,
  ChainHeadSchema,
  ChainName,
  Checkpoint,
  InclusionProof,
  ConsistencyProof,
  assertCheckpointV1,
  assertInclusionProofV1,
  assertConsistencyProofV1,
  HEAD_PROOF_MEDIA_TYPE,
  HeadProof,
  assertHeadProofV1,
  LogOrigin,
  LEDGER_SLICE_MEDIA_TYPE,
  LedgerSlice,
  assertLedgerSliceV1,
} from './merkle.js';
export {
  RATE_CARD_MEDIA_TYPE,
  STATEMENT_MEDIA_TYPE,
  ROUNDING_RULE,
  Currency,
  Meter,
  Unit,
  CONSTITUTIONAL_SPLIT,
  RevenueSplit,
  RateCardVersion,
  Price,
  RateCard,
  UsageLine,
  RevenueLine,
  StatementLine,
  Statement,
  assertRateCardV1,
  assertStatementV1,
} from './revenue.js';
export {
  EXIT_BUNDLE_MANIFEST_MEDIA_TYPE,
  BundlePath,
  MediaType,
  BundleFile,
  BundleAnchor,
  ExitBundleManifest,
  assertExitBundleManifestV1,
} from './exit-bundle.js';
export { TRUSTED_ROOT_MEDIA_TYPE, TrustedRoot, assertTrustedRootV1 } from './trusted-root.js';
export { ImportReport, ImportedVmState, assertImportReportV1 } from './import-report.js';
export { REVENUE_REPORT_MEDIA_TYPE, RevenueReport, assertRevenueReportV1 } from './revenue-report.js';
export { STATEMENT_BUNDLE_MEDIA_TYPE, StatementBundle, assertStatementBundleV1 } from './statement-bundle.js';
export { REQUEST_MEDIA_TYPE, SignedRequest, assertSignedRequestV1 } from './request.js';
export {
  DNS_API_SCHEMAS, DNS_TRANSFER_MEDIA_TYPE, DnsTransfer, RRset, assertDnsTransferV1,
  type Domain, type DomainChallenge, type DriftReport, type ZoneExport,
} from './dns.js';

/** One published format: its name, its media type and its schema. */
export interface SchemaEntry {
  readonly name: string;
  readonly mediaType: string;
  readonly schema: TSchema;
}

/** Every top-level format; spec/schemas/*.json is generated from this list. */
export const SCHEMAS: readonly SchemaEntry[] = Object.freeze([
  { name: 'Envelope', mediaType: ENVELOPE_MEDIA_TYPE, schema: Envelope },
  { name: 'Identity', mediaType: IDENTITY_MEDIA_TYPE, schema: Identity },
  { name: 'KeyRotation', mediaType: KEY_ROTATION_MEDIA_TYPE, schema: KeyRotation },
  { name: 'Imvu', mediaType: IMVU_MEDIA_TYPE, schema: Imvu },
  { name: 'Consent', mediaType: CONSENT_MEDIA_TYPE, schema: Consent },
  { name: 'GateDecision', mediaType: GATE_DECISION_MEDIA_TYPE, schema: GateDecision },
  { name: 'LedgerEntry', mediaType: LEDGER_ENTRY_MEDIA_TYPE, schema: LedgerEntry },
  { name: 'Checkpoint', mediaType: CHECKPOINT_MEDIA_TYPE, schema: Checkpoint },
  { name: 'InclusionProof', mediaType: INCLUSION_PROOF_MEDIA_TYPE, schema: InclusionProof },
  { name: 'ConsistencyProof', mediaType: CONSISTENCY_PROOF_MEDIA_TYPE, schema: ConsistencyProof },
  { name: 'HeadProof', mediaType: HEAD_PROOF_MEDIA_TYPE, schema: HeadProof },
  { name: 'LedgerSlice', mediaType: LEDGER_SLICE_MEDIA_TYPE, schema: LedgerSlice },
  { name: 'RevenueReport', mediaType: REVENUE_REPORT_MEDIA_TYPE, schema: RevenueReport },
  { name: 'StatementBundle', mediaType: STATEMENT_BUNDLE_MEDIA_TYPE, schema: StatementBundle },
  { name: 'SignedRequest', mediaType: REQUEST_MEDIA_TYPE, schema: SignedRequest },
  { name: 'RateCard', mediaType: RATE_CARD_MEDIA_TYPE, schema: RateCard },
  { name: 'Statement', mediaType: STATEMENT_MEDIA_TYPE, schema: Statement },
  { name: 'ExitBundleManifest', mediaType: EXIT_BUNDLE_MANIFEST_MEDIA_TYPE, schema: ExitBundleManifest },
  { name: 'TrustedRoot', mediaType: TRUSTED_ROOT_MEDIA_TYPE, schema: TrustedRoot },
  { name: 'DnsTransfer', mediaType: DNS_TRANSFER_MEDIA_TYPE, schema: DnsTransfer },
  { name: 'LegalHold', mediaType: LEGAL_HOLD_MEDIA_TYPE, schema: LegalHold },
]);
