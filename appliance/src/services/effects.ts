import { canonicalBytes, sha256, toHex } from '@nexus-cos/sdk';
import type { Admitted } from '../gatekeeper/gatekeeper.js';
import type { Ledger } from '../ledger/ledger.js';
import type { EntryDraft } from '../ledger/types.js';
import type { StoredDocument } from '../ports/ledger-store.js';
import type { Registry, RegistryWriter } from '../ports/registry.js';

/** One ledger entry an effect appends, with the signed documents it names. */
export interface EffectItem {
  readonly draft: EntryDraft;
  readonly documents?: readonly StoredDocument[];
}

/** SHA-256 hex of the signed decision, exactly as the gatekeeper logged it. */
export function decisionDigest(a: Admitted): string {
  return toHex(sha256(canonicalBytes(a.envelope)));
}

/** SHA-256 hex of the canonical JSON of `value`: what a notice declares (gate 12). */
export function declaredDigest(value: unknown): string {
  return toHex(sha256(canonicalBytes(value)));
}

/** The audit entry of an admitted effect, tied to its decision by digest (gate 11). */
export function auditItem(a: Admitted, imvu: string | null, actor: string): EffectItem {
  return { draft: { kind: 'audit', imvu, actor, action: a.decision.action, resource: a.decision.resource, decision: decisionDigest(a) } };
}

/** A consent grant or withdrawal as a ledger entry (gate 10). */
export function consentItem(imvu: string | null, actor: string, op: 'grant' | 'withdraw', purpose: string, grantedBy = actor): EffectItem {
  return { draft: { kind: 'consent', imvu, actor, op, purpose, grantedBy } };
}

/**
 * Applies an admitted effect: the registry writes and their ledger entries stand or fall
 * together. The registry transaction commits only once the entries are durable; if the
 * append fails, it rolls back and the failure (LEDGER_UNAVAILABLE) reaches the caller.
 * One window remains: a crash between the ledger's fsync and the registry's commit leaves
 * entries without their effect, never an effect without its entries.
 */
export async function applyEffect(registry: Registry, ledger: Ledger, write: (w: RegistryWriter) => void, items: readonly EffectItem[]): Promise<void> {
  await registry.change(write, () => ledger.appendMany(items.map((i) => (i.documents === undefined ? { draft: i.draft } : { draft: i.draft, documents: [...i.documents] }))));
}
