// @nexus-cos/sdk/verify: offline verification only. This entry point imports no network
// client and does no I/O; a third party can verify with it on a machine with no network.
export { verifySignature, assertSignature } from './signature.js';
export { TrustedKeys } from './trust.js';
export { verifyEnvelope, openJsonEnvelope, type VerifyEnvelopeOptions, type VerifiedEnvelope } from './envelope.js';
export { loadTrustedRoot, type LoadedTrustedRoot } from './trusted-root.js';
export { verifyInclusionProof, verifyConsistencyProof, type VerifiedInclusion, type VerifiedConsistency } from './proofs.js';
export { parseCanonicalJsonArtifact } from './artifact.js';
export { verifyStatement, type VerifyStatementOptions, type VerifiedStatement } from '../revenue/verify-statement.js';
export { verifyHeadProof, verifySlice, verifyLedgerSlice, type VerifiedHead, type VerifiedSlice } from './slice.js';
export { openNote, openCheckpoint, parseCheckpointBody, parseVerifierKey, type OpenedNote, type OpenedCheckpoint } from '../note/index.js';
export { verifyInclusion, verifyConsistency, rootFromInclusionProof, leafHash, type InclusionInput, type ConsistencyInput } from '../merkle/index.js';
export { PublicKey } from '../identity/public-key.js';
export { NexusError, isNexusError, ERROR_CODES, type ErrorCode } from '../errors/index.js';
export { verifyStatementBundle } from './statement-bundle.js';
export { verifyExitBundle, type VerifiedBundle, type VerifyBundleOptions } from '../exit/verify-bundle.js';
export { verifySliceParallel } from './parallel/slice.js';
export type { ParallelOptions } from './parallel/pool.js';
export type { SliceOptions, ParallelChain } from './parallel/slice.js';
export type { CheckedChain, IndexedEntry } from './checked-chain.js';
