import t from 'tap';
import { fileURLToPath } from 'node:url';
import { GATE_DECISION_MEDIA_TYPE, ERROR_CODES, TrustedKeys, isNexusError, openJsonEnvelope, fromUtf8, type LedgerEntry } from '@nexus-cos/sdk';
import { CedarAuthorizer } from '../../../appliance/src/adapters/cedar/cedar-authorizer.js';
import { GATES, GATE_ERROR_CODES } from '../../../appliance/src/domain/gates/rules/index.js';
import type { GateFacts, GateRequest } from '../../../appliance/src/domain/gates/types.js';
import { Gatekeeper } from '../../../appliance/src/gatekeeper/gatekeeper.js';
import { readEntry } from '../../../appliance/src/ledger/read-entry.js';
import type { Ledger } from '../../../appliance/src/ledger/ledger.js';
import { openLedger, platform, steppingClock, tempDb } from '../../helpers/ledger.js';
import { ID, facts, imvuFacts, request } from './fixture.js';
import { ALL, GOOD, REASON } from './good.js';

const authorizer = CedarAuthorizer.load(fileURLToPath(new URL('../../../appliance/policies/', import.meta.url)));
const ROLES = { owner: ID.owner, delegate: ID.delegate, stranger: ID.stranger, operator: ID.operator, platform: ID.platform } as const;

function keeper(ledger: Ledger, f: () => GateFacts = () => facts()): Gatekeeper {
  return new Gatekeeper({ ledger, signer: platform, authorizer, gates: GATES, gateCodes: GATE_ERROR_CODES, facts: f, clock: steppingClock() });
}

/** Every entry stored so far, parsed. */
function entries(ledger: Ledger): LedgerEntry[] {
  return [...ledger.store.scan()].map(readEntry);
}

async function outcome(g: Gatekeeper, req: GateRequest): Promise<string> {
  try {
    await g.admit(req);
    return 'allow';
  } catch (e) {
    if (!isNexusError(e)) throw e;
    return e.code;
  }
}

t.test('every registered action, by every role, passes through the gatekeeper and leaves a signed decision', async (t) => {
  const ledger = openLedger(tempDb());
  const g = keeper(ledger);
  let calls = 0;
  for (const action of ALL) {
    for (const [role, actor] of Object.entries(ROLES)) {
      const before = ledger.tree.size;
      const { req } = GOOD[action];
      const r = await outcome(keeper(ledger, () => GOOD[action].facts ?? facts()), { ...req, actor });
      calls++;
      const added = entries(ledger).slice(before);
      const decisions = added.filter((e) => e.kind === 'gate_decision');
      t.equal(decisions.length, 1, `${action} by ${role}: exactly one decision was logged`);
      const d = decisions[0];
      if (d?.kind !== 'gate_decision') continue;
      t.equal(d.decision, r === 'allow' ? 'allow' : 'deny', `${action} by ${role}: logged verdict matches (${r})`);
      t.ok(r === 'allow' || (ERROR_CODES as readonly string[]).includes(r), `${action} by ${role}: a documented code`);
      // The decision itself is kept and verifies under the platform key.
      const doc = ledger.store.document(d.digest);
      const opened = openJsonEnvelope(JSON.parse(fromUtf8(doc?.bytes ?? new Uint8Array())), { trusted: new TrustedKeys([platform.publicKey]), payloadType: GATE_DECISION_MEDIA_TYPE });
      t.equal((opened.value as { policyDigest: string }).policyDigest, authorizer.policyDigest, `${action} by ${role}: names the policy in force`);
    }
  }
  void g;
  t.equal(calls, ALL.length * 5);
  await ledger.close();
});

t.test('the designated actor of each action is allowed; the operator has no god mode', async (t) => {
  const ledger = openLedger(tempDb());
  for (const action of ALL) {
    const { req, facts: f } = GOOD[action];
    t.equal(await outcome(keeper(ledger, () => f ?? facts()), req), 'allow', `${action} by its designated actor`);
  }
  for (const action of ['exit.start', 'dns.change', 'mail.send', 'vm.create', 'vm.destroy', 'imvu.update', 'delegation.grant', 'ratecard.publish'] as const) {
    const r = await outcome(keeper(ledger, () => GOOD[action].facts ?? facts()), { ...GOOD[action].req, actor: ID.operator });
    t.not(r, 'allow', `operator cannot ${action} (${r})`);
  }
  await ledger.close();
});

t.test('the operator cannot change a quota or a route without a reason, and the notice lands in the IMVU log first', async (t) => {
  const ledger = openLedger(tempDb());
  const g = keeper(ledger);
  const quota = request('quota.change', { actor: ID.operator });
  const silent = await outcome(g, quota);
  t.equal(silent, 'GATE_CAPACITY_HONESTY', 'a silent quota change is refused');
  let log = entries(ledger);
  t.same(log.map((e) => e.kind), ['gate_decision'], 'the refusal itself is logged, and no notice');
  t.equal(log[0]?.imvu, 'IMVU-042', "in the IMVU's own log");

  const notice = { scope: 'quota' as const, effectiveAt: '2026-12-01T00:00:00Z', declared: 'cd'.repeat(32) };
  const admitted = await g.admit({ ...quota, reason: REASON }, notice);
  log = entries(ledger);
  t.same(log.map((e) => e.kind), ['gate_decision', 'gate_decision', 'notice'], 'decision and notice are both durable when admit returns');
  const n = log[2];
  t.equal(n?.kind === 'notice' ? n.reason : '', REASON, 'the notice carries the reason');
  t.equal(n?.imvu, 'IMVU-042');
  t.equal(admitted.receipts.length, 2, 'committed together');
  t.equal(admitted.receipts[1]?.seq, (admitted.receipts[0]?.seq ?? -2) + 1, 'notice directly follows its decision in the chain');

  const route = request('route.change', { actor: ID.operator, resource: 'network:IMVU-042/lan', params: { declared: 'cd'.repeat(32) } });
  t.equal(await outcome(g, route), 'GATE_NETWORK_HONESTY', 'a silent reroute is refused');
  await ledger.close();
});

t.test('revoked keys, a failed ledger, a legal hold and unknown actions are refused with their gate', async (t) => {
  const ledger = openLedger(tempDb());
  t.equal(await outcome(keeper(ledger), { ...GOOD['vm.stop'].req, actor: ID.revoked }), 'GATE_IDENTITY_PROOF');
  t.equal(await outcome(keeper(ledger, () => facts({ ledgerHealthy: false })), GOOD['vm.stop'].req), 'GATE_LEDGER_INTEGRITY');
  const hold = { reason: 'Court order 12 O 345/26', signedBy: ID.operator, envelopeDigest: 'ef'.repeat(32) };
  const held = keeper(ledger, () => facts({ imvus: [imvuFacts({ legalHold: hold })] }));
  try {
    await held.admit(GOOD['exit.start'].req);
    t.fail('exit under a legal hold was admitted');
  } catch (e) {
    t.equal(isNexusError(e) ? e.code : e, 'GATE_EXIT_READINESS');
  }
  const lastDecision = entries(ledger).filter((e) => e.kind === 'gate_decision').pop();
  const doc = ledger.store.document(lastDecision?.kind === 'gate_decision' ? lastDecision.digest : '');
  t.match(fromUtf8(Buffer.from((JSON.parse(fromUtf8(doc?.bytes ?? new Uint8Array())) as { payload: string }).payload, 'base64')), /Court order 12 O 345\/26/, 'the owner is shown the signed reason');
  t.equal(await outcome(keeper(ledger), { ...GOOD['vm.stop'].req, action: 'vm.teleport' }), 'UNKNOWN_ACTION');
  t.equal(entries(ledger).pop()?.imvu, 'IMVU-042');
  t.equal(await outcome(keeper(ledger), { ...GOOD['vm.stop'].req, imvu: 'IMVU-999' }), 'GATE_RESOURCE_BINDING');
  t.equal(entries(ledger).pop()?.imvu, null, 'decisions about IMVUs that do not exist go to the platform log');
  await ledger.close();
});

t.test('each of the 17 gates, failing, refuses with its own code and changes nothing but the log', async (t) => {
  const ledger = openLedger(tempDb());
  const good = (a: keyof typeof GOOD): GateRequest => GOOD[a].req;
  const cases: [number, GateRequest, GateFacts?][] = [
    [1, { ...good('vm.stop'), actor: ID.revoked }],
    [2, { ...good('vm.stop'), actor: ID.stranger }],
    [3, { ...good('ratecard.publish'), params: { split: { creatorBps: 5000, platformBps: 5000 } } }],
    [4, good('vm.start'), facts({ meters: [] })],
    [5, good('vm.stop'), facts({ ledgerHealthy: false })],
    [6, { ...good('domain.bind'), params: { domain: 'unverified.example' } }],
    [7, { ...good('dns.change'), params: { zone: 'example.org', records: [{ name: 'www.attacker.example.', type: 'A' }] } }],
    [8, { ...good('mail.send'), params: { mailFrom: 'ceo@other.example', headerFrom: 'Alice@example.org' } }],
    [9, { ...good('imvu.create'), jurisdiction: 'Germany' }],
    [10, good('mailbox.create'), facts({ imvus: [imvuFacts({ consents: [] })] })],
    [12, { ...good('quota.change'), reason: '' }],
    [13, { ...good('route.change'), reason: '' }],
    [14, { ...good('vm.create'), storagePool: 'pool-us' }],
    [15, good('exit.start'), facts({ imvus: [imvuFacts({ legalHold: { reason: 'Court order', signedBy: ID.operator, envelopeDigest: 'ef'.repeat(32) } })] })],
    [16, { ...good('identity.rotate'), params: { signedBy: 'stranger', signatureValid: false } }],
    [17, { ...good('statement.issue'), actor: ID.owner }],
  ];
  for (const [gate, req, f] of cases) {
    const before = ledger.tree.size;
    const code = await outcome(keeper(ledger, () => f ?? facts()), req);
    t.equal(code, GATE_ERROR_CODES[gate], `gate ${gate}: ${req.action} refused with ${GATE_ERROR_CODES[gate]}`);
    const added = entries(ledger).slice(before);
    t.equal(added.length, 1, `gate ${gate}: only the denial was written`);
    const d = added[0];
    t.ok(d?.kind === 'gate_decision' && d.decision === 'deny' && d.failed.includes(gate), `gate ${gate}: the logged denial names gate ${gate}`);
  }
  await ledger.close();
});

t.test('gate 11: an allowed action whose decision cannot be made durable does not take effect', async (t) => {
  const { SqliteLedgerStore } = await import('../../../appliance/src/adapters/sqlite/ledger-store.js');
  const { Ledger } = await import('../../../appliance/src/ledger/ledger.js');
  const { ORIGIN } = await import('../../helpers/ledger.js');
  class Broken extends SqliteLedgerStore {
    override append(): void {
      throw new Error('EIO');
    }
  }
  const ledger = Ledger.open({ store: new Broken(tempDb()), signer: platform, origin: ORIGIN, clock: steppingClock(), checkpointIntervalMs: 1e12 });
  let effect = false;
  const code = await outcome(keeper(ledger), GOOD['vm.stop'].req).then(async (c) => {
    if (c === 'allow') effect = true;
    return c;
  });
  t.equal(code, 'GATE_AUDIT');
  t.notOk(effect, 'the effect never ran');
  await ledger.close().catch(() => undefined);
});

t.test("only identified actors bound to an IMVU write to its log; strangers' and replayed requests go to the platform's", async (t) => {
  const ledger = openLedger(tempDb());
  const g = keeper(ledger);
  t.equal(await outcome(g, { ...GOOD['vm.stop'].req, actor: ID.stranger }), 'GATE_RESOURCE_BINDING');
  t.equal(entries(ledger).pop()?.imvu, null, 'a stranger: platform log');
  t.equal(await outcome(g, { ...GOOD['vm.stop'].req, proof: { ...GOOD['vm.stop'].req.proof, replayed: true } }), 'GATE_IDENTITY_PROOF');
  t.equal(entries(ledger).pop()?.imvu, null, 'a replay: platform log');
  t.equal(await outcome(g, { ...GOOD['quota.change'].req, reason: '' }), 'GATE_CAPACITY_HONESTY');
  t.equal(entries(ledger).pop()?.imvu, 'IMVU-042', "the operator's silent attempt: the IMVU's own log");
  await ledger.close();
});
