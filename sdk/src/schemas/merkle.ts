import { Type, type Static } from '@sinclair/typebox';
import { Base64Bytes32, Sha256Hex, UIntString, assertSchema } from './common.js';

/** Media type of the JSON view of a checkpoint. */
export const CHECKPOINT_MEDIA_TYPE = 'application/vnd.nexus-cos.checkpoint.v1+json';
/** Media type of an inclusion proof. */
export const INCLUSION_PROOF_MEDIA_TYPE = 'application/vnd.nexus-cos.inclusion-proof.v1+json';
/** Media type of a consistency proof. */
export const CONSISTENCY_PROOF_MEDIA_TYPE = 'application/vnd.nexus-cos.consistency-proof.v1+json';

/** An RFC 6962 node hash (32 bytes) in canonical padded base64, as C2SP checkpoints write it. */
export const Base64Hash = Base64Bytes32;

// 63 levels cover any tree a uint64 size can describe.
const MAX_PROOF_HASHES = 63;
// Signed notes are small (C2SP tlog-checkpoint); the cap stops a hostile bundle early.
const NOTE_MAX = 64 * 1024;

/** A log's origin: the first line of its checkpoints (printable ASCII, single spaces). */
export const LogOrigin = Type.String({ minLength: 1, maxLength: 256, pattern: '^[\\x21-\\x7e]+(?: [\\x21-\\x7e]+)*$' });

/** The text of a C2SP signed note (body, blank line, signature lines), kept byte-exact. */
export const SignedNoteText = Type.String({ minLength: 1, maxLength: NOTE_MAX });

/** A chain name: an IMVU id, or `platform` for the entries that belong to no IMVU. */
export const ChainName = Type.String({ pattern: '^(?:IMVU-[0-9]{3,12}|platform)$' });

/** One chain's head committed in a checkpoint: its last seq and that entry's hash. */
export const ChainHeadSchema = Type.Object(
  { chain: ChainName, seq: UIntString, head: Sha256Hex },
  { additionalProperties: false },
);

/**
 * The JSON view of a checkpoint body (C2SP tlog-checkpoint: origin, size, root hash),
 * plus the per-IMVU heads carried as extension lines, so an exit bundle can prove completeness.
 */
export const Checkpoint = Type.Object(
  {
    origin: LogOrigin,
    size: UIntString,
    rootHash: Base64Hash,
    // The heads the checkpoint's heads tree commits, sorted by chain (spec/ledger.md).
    heads: Type.Optional(Type.Array(ChainHeadSchema, { maxItems: 100_000 })),
  },
  { additionalProperties: false, $id: 'Checkpoint', title: 'Checkpoint v1 (JSON view)' },
);
export type Checkpoint = Static<typeof Checkpoint>;

/** An RFC 6962 inclusion proof for one leaf, with the signed checkpoint it is relative to. */
export const InclusionProof = Type.Object(
  {
    v: Type.Literal(1),
    logIndex: UIntString,
    treeSize: UIntString,
    leafHash: Base64Hash,
    hashes: Type.Array(Base64Hash, { maxItems: MAX_PROOF_HASHES }),
    checkpoint: SignedNoteText,
  },
  { additionalProperties: false, $id: 'InclusionProof', title: 'Inclusion proof v1' },
);
export type InclusionProof = Static<typeof InclusionProof>;

/**
 * An RFC 6962 consistency proof between two signed checkpoints of one log. The sizes
 * repeat the checkpoints' so a reader sees them without parsing notes; a verifier
 * requires them to agree.
 */
export const ConsistencyProof = Type.Object(
  {
    v: Type.Literal(1),
    oldSize: UIntString,
    newSize: UIntString,
    hashes: Type.Array(Base64Hash, { maxItems: MAX_PROOF_HASHES }),
    oldCheckpoint: SignedNoteText,
    newCheckpoint: SignedNoteText,
  },
  { additionalProperties: false, $id: 'ConsistencyProof', title: 'Consistency proof v1' },
);
export type ConsistencyProof = Static<typeof ConsistencyProof>;

/** Asserts `x` is a Checkpoint v1 JSON view, without changing it. */
export function assertCheckpointV1(x: unknown): asserts x is Checkpoint {
  assertSchema(Checkpoint, x, 'PAYLOAD_INVALID');
}

/** Asserts `x` is an InclusionProof v1, without changing it. */
export function assertInclusionProofV1(x: unknown): asserts x is InclusionProof {
  assertSchema(InclusionProof, x, 'PAYLOAD_INVALID');
}

/** Asserts `x` is a ConsistencyProof v1, without changing it. */
export function assertConsistencyProofV1(x: unknown): asserts x is ConsistencyProof {
  assertSchema(ConsistencyProof, x, 'PAYLOAD_INVALID');
}

/** Media type of a chain head proof. */
export const HEAD_PROOF_MEDIA_TYPE = 'application/vnd.nexus-cos.head-proof.v1+json';

/**
 * Proof that a signed checkpoint commits one chain's head: the head's position in the
 * checkpoint's heads tree (spec/ledger.md) and the RFC 6962 path to the heads root.
 */
export const HeadProof = Type.Object(
  {
    v: Type.Literal(1),
    chain: ChainName,
    seq: UIntString,
    head: Sha256Hex,
    index: UIntString,
    count: UIntString,
    hashes: Type.Array(Base64Hash, { maxItems: MAX_PROOF_HASHES }),
    checkpoint: SignedNoteText,
  },
  { additionalProperties: false, $id: 'HeadProof', title: 'Chain head proof v1' },
);
export type HeadProof = Static<typeof HeadProof>;

/** Asserts `x` is a HeadProof v1, without changing it. */
export function assertHeadProofV1(x: unknown): asserts x is HeadProof {
  assertSchema(HeadProof, x, 'PAYLOAD_INVALID');
}

/** Media type of a ledger slice: one chain's entries with the proof that they are complete. */
export const LEDGER_SLICE_MEDIA_TYPE = 'application/vnd.nexus-cos.ledger-slice.v1+json';

/** One chain's entries from seq 0, as stored (base64 of the exact bytes), with its head proof. */
export const LedgerSlice = Type.Object(
  {
    v: Type.Literal(1),
    chain: ChainName,
    entries: Type.Array(Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: 1 << 20 }), { maxItems: 10_000_000 }),
    headProof: HeadProof,
  },
  { additionalProperties: false, $id: 'LedgerSlice', title: 'Ledger slice v1' },
);
export type LedgerSlice = Static<typeof LedgerSlice>;

/** Asserts `x` is a LedgerSlice v1, without changing it. */
export function assertLedgerSliceV1(x: unknown): asserts x is LedgerSlice {
  assertSchema(LedgerSlice, x, 'PAYLOAD_INVALID');
}
