// @nexus-cos/sdk: the public surface. Named re-exports only, so what is public is a
// deliberate list; @noble/* and node:crypto details stay behind sdk/src/crypto.

// Errors
export { NexusError, isNexusError, ERROR_CODES, isErrorCode, type ErrorCode } from './errors/index.js';

// Encodings
export { toBase64, fromBase64, toBase64Url, fromBase64Url, toHex, fromHex, utf8, fromUtf8, bytesEqual, canonicalize, canonicalBytes } from './encoding/index.js';

// Identity and signing
export { PublicKey } from './identity/public-key.js';
export { toDidKey, fromDidKey } from './identity/did-key.js';
export { LocalSigner } from './sign/local-signer.js';
export { signEnvelope, signEnvelopeSync, signJson, signJsonSync } from './sign/envelope.js';
export { pae } from './sign/pae.js';
export type { Signer, SyncSigner, CryptoBackend } from './sign/signer.js';

// Offline verification (also at @nexus-cos/sdk/verify)
export {
  verifySignature,
  assertSignature,
  TrustedKeys,
  verifyEnvelope,
  openJsonEnvelope,
  loadTrustedRoot,
  verifyInclusionProof,
  verifyConsistencyProof,
  parseCanonicalJsonArtifact,
  type VerifyEnvelopeOptions,
  type VerifiedEnvelope,
  type LoadedTrustedRoot,
  type VerifiedInclusion,
  type VerifiedConsistency,
} from './verify/index.js';

// Merkle trees (RFC 6962 / RFC 9162)
export {
  leafHash,
  nodeHash,
  emptyRoot,
  MerkleAccumulator,
  rootFromLeafHashes,
  inclusionProof,
  consistencyProof,
  inclusionPath,
  consistencyPath,
  type RangeRoot,
  verifyInclusion,
  verifyConsistency,
  rootFromInclusionProof,
  type InclusionInput,
  type ConsistencyInput,
} from './merkle/index.js';

// Signed notes and checkpoints (C2SP)
export {
  signNote,
  openNote,
  noteVerifierKey,
  formatVerifierKey,
  parseVerifierKey,
  formatCheckpoint,
  parseCheckpointBody,
  openCheckpoint,
  type NoteSigner,
  type NoteVerifierKey,
  type OpenedNote,
  type Checkpoint as CheckpointBody,
  type CheckpointInput,
  type OpenedCheckpoint,
} from './note/index.js';

// Canonical schemas, media types and guards
export {
  SCHEMAS,
  type SchemaEntry,
  Envelope,
  ENVELOPE_MEDIA_TYPE,
  Identity,
  IDENTITY_MEDIA_TYPE,
  assertIdentityV1,
  KeyRotation,
  KEY_ROTATION_MEDIA_TYPE,
  assertKeyRotationV1,
  Imvu,
  IMVU_MEDIA_TYPE,
  assertImvuV1,
  Consent,
  CONSENT_MEDIA_TYPE,
  assertConsentV1,
  GateDecision,
  GateResult,
  GATE_NAMES,
  GATE_DECISION_MEDIA_TYPE,
  assertGateDecisionV1,
  LedgerEntry,
  LEDGER_ENTRY_MEDIA_TYPE,
  assertLedgerEntryV1,
  Checkpoint,
  CHECKPOINT_MEDIA_TYPE,
  assertCheckpointV1,
  InclusionProof,
  INCLUSION_PROOF_MEDIA_TYPE,
  assertInclusionProofV1,
  ConsistencyProof,
  CONSISTENCY_PROOF_MEDIA_TYPE,
  assertConsistencyProofV1,
  RateCard,
  RATE_CARD_MEDIA_TYPE,
  assertRateCardV1,
  Statement,
  STATEMENT_MEDIA_TYPE,
  assertStatementV1,
  ExitBundleManifest,
  EXIT_BUNDLE_MANIFEST_MEDIA_TYPE,
  assertExitBundleManifestV1,
  TrustedRoot,
  TRUSTED_ROOT_MEDIA_TYPE,
  assertTrustedRootV1,
  ImportReport,
  assertImportReportV1,
  ImportedVmState,
} from './schemas/index.js';

// Revenue (gate 3): the 5500/4500 split, pricing and signed period statements
export {
  CREATOR_BPS,
  PLATFORM_BPS,
  splitRevenue,
  priceUsage,
  assertConstitutionalSplit,
  rateCardDigest,
  computeStatement,
  verifyStatement,
  type RevenueShares,
  type ChainEntry,
  type StatementInput,
  type VerifyStatementOptions,
  type VerifiedStatement,
} from './revenue/index.js';
export { RateCardEntry, UsageLine, RevenueLine, ROUNDING_RULE, CONSTITUTIONAL_SPLIT } from './schemas/index.js';

// The ledger's entry and chain formats (spec/ledger.md)
export { encodeEntry, entryHash, openEntry, chainOf, PLATFORM_CHAIN, type OpenedEntry } from './ledger/entry.js';
export { HEADS_EXTENSION, headLeafData, sortHeads, headsRoot, formatHeadsExtension, parseHeadsExtension, type ChainHead } from './ledger/heads.js';
export { verifyHeadProof, verifySlice, verifyLedgerSlice, type VerifiedHead, type VerifiedSlice } from './verify/slice.js';
export { verifySliceParallel, type ParallelOptions, type SliceOptions, type ParallelChain, type CheckedChain, type IndexedEntry } from './verify/index.js';
export { GENESIS_PREV, LEDGER_KINDS, type LedgerKind, type LedgerEntryOf } from './schemas/ledger.js';
export { HeadProof, HEAD_PROOF_MEDIA_TYPE, assertHeadProofV1, LedgerSlice, LEDGER_SLICE_MEDIA_TYPE, assertLedgerSliceV1 } from './schemas/merkle.js';
export { RevenueReport, REVENUE_REPORT_MEDIA_TYPE, assertRevenueReportV1 } from './schemas/revenue-report.js';
export { sha256 } from './crypto/sha256.js';
export { sha256Stream, type StreamingSha256 } from './crypto/sha256-stream.js';
export { StatementBundle, STATEMENT_BUNDLE_MEDIA_TYPE, assertStatementBundleV1 } from './schemas/statement-bundle.js';
export { verifyStatementBundle } from './verify/statement-bundle.js';
export { signRequest, verifyRequest, AUTH_SCHEME, DEFAULT_REQUEST_TTL_MS, type RequestToSign, type ReceivedRequest, type BodyDigest } from './request/index.js';
export { SignedRequest, REQUEST_MEDIA_TYPE, assertSignedRequestV1 } from './schemas/request.js';

// The HTTP client for an appliance (also at @nexus-cos/sdk/client); never imported by verify/
export { NexusClient, type NexusClientOptions, type RegisterIdentityBody, type CreateImvuBody, type UpdateImvuBody, type HealthReport, type ComponentHealth } from './client/index.js';

// Wire schemas of the appliance HTTP API (bodies, parameters, error body)
export {
  DNS_API_SCHEMAS, DNS_TRANSFER_MEDIA_TYPE, DnsTransfer, RRset, assertDnsTransferV1,
  type Domain, type DomainChallenge, type DriftReport, type ZoneExport,
} from './schemas/dns.js';
export { MAIL_API_SCHEMAS, type MailEnabled, type MailboxView } from './schemas/mail-api.js';
export { API_SCHEMAS, type RegisterIdentityRequest, type CreateImvuRequest, type ChangeQuotaRequest, type ApiErrorBody } from './schemas/api.js';

// Wire schemas of the compute and network routes (issue 8)
export { COMPUTE_API_SCHEMAS, type VmSpecBody, type VmView } from './schemas/compute-api.js';
export { namedDigests } from './ledger/named-digests.js';
export type { BundleFile } from './schemas/exit-bundle.js';
export { fileChunks, FILE_CHUNK } from './files/file-chunks.js';
export { hashFile } from './crypto/hash-file.js';
export { packBundle, bytesSource, verifyExitBundle, readMembers, MANIFEST_PATH, TRUSTED_ROOT_PATH, RECORD_PATH, CHAIN_PATH, HEAD_PROOF_PATH, INCLUSION_PATH, CONSISTENCY_PATH, DOCUMENTS_DIR, zoneStatePath, isBundlePath, type BundleSource, type VerifiedBundle, type VerifyBundleOptions, type Member, type ByteSource, type MemberSink } from './exit/index.js';

// Owner sealing of tenant secrets in exit bundles (spec/exit-bundle.md §5)
export { sealToOwner, openSealed, SEALED_MAGIC, SEALED_MEDIA_TYPE } from './seal/index.js';
// The mail section of exit bundles: layout, Maildir name mapping and byte-exact mboxrd
export {
  MAILBOX_STATE_MEDIA_TYPE, MBOX_MEDIA_TYPE, MAIL_MESSAGE_MEDIA_TYPE, mailboxDir, sortMessages, maildirMemberName, maildirNameOf, storesMessage, mboxrdEntry, readMbox,
  type MailboxMessage, type MailboxState,
} from './exit/index.js';
// Legal holds and the exit request (issue 10)
export { LEGAL_HOLD_MEDIA_TYPE, LegalHold, assertLegalHoldV1 } from './schemas/legal-hold.js';
export { EXIT_API_SCHEMAS, type HoldView, type HoldStatus } from './schemas/exit-api.js';
// Import: the owner's opened secrets travel with the signed request (spec/exit-bundle.md §8)
export { DnssecKey, ImportSecrets, assertImportSecretsV1 } from './schemas/import-secrets.js';
export { IMPORT_SECRETS_HEADER, encodeImportSecrets, decodeImportSecrets } from './import/secrets-wire.js';
