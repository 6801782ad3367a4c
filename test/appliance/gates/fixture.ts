import { LocalSigner, assertGateDecisionV1, type GateResult } from '@nexus-cos/sdk';
import type { Test } from 'tap';
import { roleOf } from '../../../appliance/src/domain/gates/role.js';
import type { Gate, GateFacts, GateRequest, ImvuFacts } from '../../../appliance/src/domain/gates/types.js';

const did = (n: number): string => LocalSigner.fromSeed(new Uint8Array(32).fill(n)).publicKey.id;

/** Fixed identities, one per role, plus keys in each non-active lifecycle state. */
export const ID = {
  owner: did(21),
  delegate: did(22),
  stranger: did(23),
  operator: did(24),
  platform: did(25),
  revoked: did(26),
  rotated: did(27),
  newcomer: did(28),
} as const;

/** The fixed "now" of every fixture: 2026-11-26T12:00:00Z. */
export const NOW = Date.parse('2026-11-26T12:00:00Z');
/** The IMVU every default request targets. */
export const IMVU = 'IMVU-042';
/** A well-formed SHA-256 hex digest. */
export const DIGEST = 'ab'.repeat(32);

/** IMVU-042: owned by ID.owner, jurisdiction DE-BY, example.org bound and mail-ready. */
export function imvuFacts(over: Partial<ImvuFacts> = {}): ImvuFacts {
  return {
    id: IMVU, owner: ID.owner, jurisdiction: 'DE-BY', status: 'active',
    consents: ['mail.processing', 'export.third-party'],
    verifiedDomains: ['example.org', 'Shop.Example.COM.'], mailReadyDomains: ['example.org'],
    mailboxes: ['Alice@example.org'], ...over,
  };
}

/** Overrides for the in-memory facts. */
export interface FactsOptions {
  readonly now?: number;
  readonly ledgerHealthy?: boolean;
  readonly imvus?: readonly ImvuFacts[];
  readonly keys?: Readonly<Record<string, 'active' | 'rotated' | 'revoked'>>;
  /** `${imvu} ${did}` to scopes. */
  readonly delegations?: Readonly<Record<string, readonly string[]>>;
  readonly meters?: readonly string[];
  readonly pools?: Readonly<Record<string, string>>;
}

/** Default key states: every role active, plus one revoked and one rotated key. */
const KEYS: Record<string, 'active' | 'rotated' | 'revoked'> = {
  [ID.owner]: 'active', [ID.delegate]: 'active', [ID.stranger]: 'active', [ID.operator]: 'active',
  [ID.platform]: 'active', [ID.revoked]: 'revoked', [ID.rotated]: 'rotated',
};

/** In-memory GateFacts: a pure snapshot, as the service layer would assemble it. */
export function facts(o: FactsOptions = {}): GateFacts {
  const imvus = o.imvus ?? [imvuFacts()];
  const keys = o.keys ?? KEYS;
  const delegations = o.delegations ?? { [`${IMVU} ${ID.delegate}`]: ['dns', 'vm'] };
  const meters = new Set(o.meters ?? ['vm:IMVU-042/web-1', 'domain:example.org', 'mail:IMVU-042/example.org', 'mailbox:IMVU-042/bob@example.org']);
  const pools = o.pools ?? { 'pool-de': 'DE', 'pool-by': 'DE-BY', 'pool-be': 'DE-BE', 'pool-eu': 'EU', 'pool-us': 'US' };
  return {
    now: o.now ?? NOW,
    platform: ID.platform,
    operators: [ID.operator],
    keyStatus: (d) => keys[d] ?? 'unknown',
    imvu: (id) => imvus.find((i) => i.id === id),
    delegation: (imvu, d) => delegations[`${imvu} ${d}`] ?? [],
    ledgerHealthy: o.ledgerHealthy ?? true,
    meterAttached: (r) => meters.has(r),
    storageJurisdiction: (p) => (Object.hasOwn(pools, p) ? pools[p] : undefined),
  };
}

/** A request by the owner on IMVU-042, signed a second ago and valid for a minute. */
export function request(action: string, over: Partial<GateRequest> = {}): GateRequest {
  return {
    action, actor: ID.owner, resource: `imvu:${IMVU}`, imvu: IMVU,
    proof: { signatureValid: true, created: NOW - 1_000, expires: NOW + 59_000, replayed: false },
    ...over,
  };
}

/** Runs one gate as the evaluator would: the actor classified by role.ts first. */
export function judge(gate: Gate, req: GateRequest, f: GateFacts = facts()): GateResult {
  return gate.evaluate(req, f, roleOf(req, f));
}

/** Throws unless `r` is a schema-valid GateResult (string evidence, valid keys, exact name). */
export function assertWellFormed(r: GateResult): void {
  assertGateDecisionV1({
    action: 'test.action', actor: ID.owner, resource: 'imvu:IMVU-042', results: [r], decision: 'deny',
    policyDigest: DIGEST, deciders: ['test'], time: new Date(NOW).toISOString(),
  });
}

type Tap = Pick<Test, 'equal' | 'ok' | 'doesNotThrow'>;

/** Asserts the gate passed, with well-formed evidence. */
export function passes(t: Tap, r: GateResult, msg = 'passes'): void {
  t.equal(r.result, 'pass', `${msg}${r.code === undefined ? '' : ` (got ${r.code})`}`);
  t.equal(r.code, undefined, `${msg}: no code`);
  t.doesNotThrow(() => assertWellFormed(r), `${msg}: well-formed`);
}

/** Asserts the gate failed with exactly `code`, with well-formed evidence. */
export function failsWith(t: Tap, r: GateResult, code: string, msg = `fails ${code}`): void {
  t.equal(r.result, 'fail', msg);
  t.equal(r.code, code, `${msg}: code`);
  t.ok(Object.keys(r.evidence).length > 0, `${msg}: has evidence`);
  t.doesNotThrow(() => assertWellFormed(r), `${msg}: well-formed`);
}
