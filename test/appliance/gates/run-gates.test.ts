import t from 'tap';
import { assertGateDecisionV1 } from '@nexus-cos/sdk';
import { gatesFor } from '../../../appliance/src/domain/gates/actions.js';
import { decide, runGates } from '../../../appliance/src/domain/gates/evaluate.js';
import { GATES } from '../../../appliance/src/domain/gates/rules/index.js';
import type { GateRequest } from '../../../appliance/src/domain/gates/types.js';
import { DIGEST, ID, NOW, facts, request } from './fixture.js';
import { ALL, GOOD } from './good.js';

t.test('GATES holds the 17 gates in order', async (t) => {
  t.same(GATES.map((g) => g.id), Array.from({ length: 17 }, (_, i) => i + 1));
});

t.test('every action: never throws, records 17 results, applicable gates judged', async (t) => {
  const bare: GateRequest = { action: '', actor: ID.stranger, resource: 'x:y', proof: { signatureValid: false, created: Number.NaN, expires: Number.NaN, replayed: true }, params: { records: 'nope', split: 7, quota: null, published: null } };
  for (const action of ALL) {
    for (const req of [GOOD[action].req, { ...bare, action }, request(action, { imvu: 'IMVU-999' })]) {
      for (const f of [facts(), facts({ ledgerHealthy: false, imvus: [], keys: {}, pools: {}, meters: [] })]) {
        const run = runGates(req, f, GATES);
        t.equal(run.results.length, 17, `${action}: 17 results`);
        t.same(run.results.map((r) => r.gate), GATES.map((g) => g.id), `${action}: in order`);
        const applicable = new Set(gatesFor(action));
        t.ok(run.results.every((r) => (r.result === 'not_applicable') === !applicable.has(r.gate)), `${action}: not_applicable exactly outside its list`);
        // A rule that throws or lacks a case for an action the table gives it would show here.
        t.same(run.results.filter((r) => r.code === 'GATE_ERROR' || r.code === 'UNHANDLED_ACTION'), [], `${action}: every rule handles it`);
        t.ok(run.results.every((r) => r.result !== 'fail' || r.code !== undefined), `${action}: every failure has a code`);
      }
    }
  }
});

t.test('every action has a request that all its gates pass, and the decision is schema-valid', async (t) => {
  for (const action of ALL) {
    const { req, facts: f = facts() } = GOOD[action];
    const run = runGates(req, f, GATES);
    t.same(run.results.filter((r) => r.result === 'fail').map((r) => `${r.gate}:${r.code ?? ''}`), [], `${action}: all applicable gates pass`);
    const d = decide(req, run, { decision: 'allow', policies: ['p1'], errors: [] }, DIGEST, NOW);
    t.equal(d.decision, 'allow', `${action}: allowed when the policy allows`);
    t.doesNotThrow(() => assertGateDecisionV1(d), `${action}: decision record is valid`);
  }
});

t.test('a failing gate or a policy denial denies; the ledger failing denies everything', async (t) => {
  for (const action of ALL) {
    const { req, facts: f = facts() } = GOOD[action];
    const run = runGates(req, { ...f, ledgerHealthy: false }, GATES);
    t.same(run.failed, [5, 11], `${action}: gates 5 and 11 fail closed`);
    t.equal(decide(req, run, { decision: 'allow', policies: [], errors: [] }, DIGEST, NOW).decision, 'deny');
  }
  const ok = runGates(GOOD['vm.stop'].req, facts(), GATES);
  t.equal(decide(GOOD['vm.stop'].req, ok, { decision: 'deny', policies: [], errors: [] }, DIGEST, NOW).decision, 'deny', 'policy deny');
});

t.test('an unknown action runs no gate and is recorded as such', async (t) => {
  const run = runGates(request('vm.teleport'), facts(), GATES);
  t.equal(run.results.length, 17);
  t.ok(run.results.every((r) => r.result === 'not_applicable'));
});
