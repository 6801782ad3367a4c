import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { DidKey, ImvuId, Sha256Hex, Timestamp, UIntString, assertSchema } from './common.js';
import { ActionName, GateId } from './gate.js';
import { DomainName, Mailbox, Purpose, ResourceName } from './imvu.js';
import { Base64Hash } from './merkle.js';
import { Currency, Meter, RateCardVersion, Unit } from './revenue.js';

/** Media type of a ledger entry. */
export const LEDGER_ENTRY_MEDIA_TYPE = 'application/vnd.nexus-cos.ledger-entry.v1+json';

/** `prev` of the first entry in a chain: no predecessor. */
export const GENESIS_PREV = '0'.repeat(64);

// Shared by every kind. `imvu` is null for platform-global entries, which form their own chain.
const header = {
  imvu: Type.Union([ImvuId, Type.Null()]),
  // Per-IMVU contiguous sequence, so an exit bundle can prove it holds every entry.
  seq: UIntString,
  prev: Sha256Hex,
  actor: DidKey,
  time: Timestamp,
};

function entry<K extends string, P extends TProperties>(kind: K, props: P) {
  return Type.Object({ v: Type.Literal(1), kind: Type.Literal(kind), ...header, ...props }, { additionalProperties: false });
}

const Text = Type.String({ minLength: 1, maxLength: 1024 });
const Digest = Sha256Hex;

/** A metered usage event; id/source/type/subject/time follow CloudEvents so events map 1:1. */
export const UsageEntry = entry('usage', {
  id: Type.String({ minLength: 1, maxLength: 128 }),
  source: Type.String({ minLength: 1, maxLength: 512 }),
  type: Type.String({ pattern: '^[a-z0-9]+(?:[.-][a-z0-9]+)*$', maxLength: 128 }),
  subject: Type.String({ minLength: 1, maxLength: 512 }),
  meter: Meter,
  quantity: UIntString,
  unit: Unit,
});
/** A revenue event reported and signed by a third party; `envelope` is the digest of its signed envelope. */
export const RevenueEntry = entry('revenue', {
  id: Type.String({ minLength: 1, maxLength: 128 }),
  amount: UIntString,
  currency: Currency,
  reporter: DidKey,
  envelope: Digest,
});
/** A privileged action, written durably before its effect is acknowledged (gate 11). */
export const AuditEntry = entry('audit', { action: ActionName, resource: Text, decision: Digest });
/** A declared change to capacity, network, priority or exit (a legal hold), before it takes effect (gates 12, 13 and 15). */
export const NoticeEntry = entry('notice', {
  scope: Type.Union([Type.Literal('quota'), Type.Literal('network'), Type.Literal('priority'), Type.Literal('exit')]),
  reason: Text,
  effectiveAt: Timestamp,
  // Digest of the declared policy or quota set now in force, so the applied rules can be compared.
  declared: Digest,
});
/** A consent granted or withdrawn (gate 10). */
export const ConsentEntry = entry('consent', {
  op: Type.Union([Type.Literal('grant'), Type.Literal('withdraw')]),
  purpose: Purpose,
  grantedBy: DidKey,
});
/** A key rotation that took effect (gate 16); `envelope` is the digest of the signed KeyRotation. */
export const KeyRotationEntry = entry('key_rotation', {
  oldKey: DidKey,
  newKey: DidKey,
  signedBy: Type.Union([Type.Literal('old'), Type.Literal('recovery')]),
  envelope: Digest,
});
/** A zone change (gate 7), as digests of the zone before and after. */
export const DnsChangeEntry = entry('dns_change', { zone: DomainName, before: Digest, after: Digest });
/**
 * A mail event; the message is named by digest only, to keep content out of the ledger.
 * `imported`: a message an import wrote into the mailbox (spec/exit-bundle.md §8), which was
 * never delivered here, so it is neither `inbound` nor metered.
 */
export const MailEntry = entry('mail', {
  direction: Type.Union([Type.Literal('inbound'), Type.Literal('outbound'), Type.Literal('imported')]),
  mailbox: Mailbox,
  message: Digest,
  size: UIntString,
});
/** A VM lifecycle action; `config` is the digest of the applied VM definition. */
export const ComputeEntry = entry('compute', {
  vm: ResourceName,
  op: Type.Union([
    Type.Literal('create'),
    Type.Literal('start'),
    Type.Literal('stop'),
    Type.Literal('resize'),
    Type.Literal('destroy'),
  ]),
  config: Digest,
});
/** A gate decision, by digest, with its verdict and the gates that failed. */
export const GateDecisionEntry = entry('gate_decision', {
  action: ActionName,
  decision: Type.Union([Type.Literal('allow'), Type.Literal('deny')]),
  failed: Type.Array(GateId, { maxItems: 17, uniqueItems: true }),
  digest: Digest,
});
/** A signed period statement, by digest, with its totals for quick reading. */
export const StatementEntry = entry('statement', {
  from: Timestamp,
  to: Timestamp,
  gross: UIntString,
  digest: Digest,
});
/**
 * A rate card the IMVU owner signed, logged so that pricing is decided by the chain:
 * `digest` is the SHA-256 of the owner-signed RateCard envelope's canonical bytes.
 */
export const RateCardEntry = entry('rate_card', { version: RateCardVersion, effectiveFrom: Timestamp, digest: Digest });
/** A reference to a signed checkpoint (gate 17). */
export const CheckpointEntry = entry('checkpoint', { treeSize: UIntString, rootHash: Base64Hash, note: Digest });
/**
 * The first entry of an IMVU's chain on an appliance it was imported into (spec/exit-bundle.md
 * §8): it links the new chain to the old one's anchor checkpoint (`note`: SHA-256 of its note
 * text; `treeSize`), the old head it committed (`headSeq`, `head`), the bundle's manifest
 * (`manifest`: SHA-256 of manifest.json) and the evidence kept as ledger documents: the imported
 * chain (`chain`: SHA-256 of ledger/chain.jsonl) and its head proof (`proof`).
 */
export const ImportEntry = entry('import', { note: Digest, treeSize: UIntString, headSeq: UIntString, head: Digest, manifest: Digest, chain: Digest, proof: Digest });

/** Every ledger entry, discriminated on `kind`. */
export const LedgerEntry = Type.Union(
  [
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
    RateCardEntry,
    ImportEntry,
  ],
  { $id: 'LedgerEntry', title: 'Ledger entry v1' },
);
export type LedgerEntry = Static<typeof LedgerEntry>;
/** The `kind` discriminator values. */
export type LedgerKind = LedgerEntry['kind'];
/** The ledger entry of one kind. */
export type LedgerEntryOf<K extends LedgerKind> = Extract<LedgerEntry, { kind: K }>;

/** All kinds, in schema order. */
export const LEDGER_KINDS: readonly LedgerKind[] = LedgerEntry.anyOf.map((s) => s.properties.kind.const);

/** Asserts `x` is a LedgerEntry v1, without changing it. */
export function assertLedgerEntryV1(x: unknown): asserts x is LedgerEntry {
  assertSchema(LedgerEntry, x, 'PAYLOAD_INVALID');
}
