import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { checkParseContext, checkParseEntities, schemaToJson } from '@cedar-policy/cedar-wasm/nodejs';
import { GATE_NAMES, isNexusError, type GateResult } from '@nexus-cos/sdk';
import { CedarAuthorizer } from '../../../appliance/src/adapters/cedar/cedar-authorizer.js';
import { actionHierarchy, cedarRequest } from '../../../appliance/src/adapters/cedar/request.js';
import { ACTIONS, gatesFor, isAction, OPERATOR_ACTIONS, type ActionName } from '../../../appliance/src/domain/gates/actions.js';
import { authzRequest } from '../../../appliance/src/domain/gates/evaluate.js';
import type { GateRequest, Role } from '../../../appliance/src/domain/gates/types.js';
import type { AuthzRequest } from '../../../appliance/src/ports/authorizer.js';
import { throwsCode } from '../../helpers/codes.js';
import { tempDir } from '../../helpers/tmp.js';

const POLICIES = fileURLToPath(new URL('../../../appliance/policies/', import.meta.url));
const authorizer = CedarAuthorizer.load(POLICIES);
const ROLES = ['owner', 'delegate', 'stranger', 'operator', 'platform'] as const satisfies readonly Role[];
const ACTOR = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

// The expected decision per action, by role in the order of ROLES: A = allow, - = deny.
// Written out by hand from the rules (owners and delegates: tenant actions; the operator:
// its seven actions only; the platform: statement.issue only; strangers: nothing, since
// self-registration and self-creation arrive with role "owner").
const MATRIX: Record<ActionName, string> = {
  'identity.register': 'AA---',
  'identity.rotate': 'AA---',
  'identity.revoke': 'AA---',
  'identity.recovery.add': 'AA---',
  'delegation.grant': 'AA---',
  'delegation.revoke': 'AA---',
  'imvu.create': 'AA---',
  'imvu.import': 'AA---',
  'imvu.update': 'AA---',
  'imvu.suspend': '---A-',
  'imvu.resume': '---A-',
  'quota.change': '---A-',
  'consent.grant': 'AA---',
  'consent.withdraw': 'AA---',
  'ratecard.publish': 'AA---',
  'revenue.report': 'AA---',
  'statement.issue': '----A',
  'domain.claim': 'AA---',
  'domain.bind': 'AA---',
  'dns.change': 'AA---',
  'domain.unbind': 'AA---',
  'domain.transfer': 'AA---',
  'mail.enable': 'AA---',
  'mailbox.create': 'AA---',
  'mail.send': 'AA---',
  'mail.read': '---A-',
  'vm.create': 'AA---',
  'vm.start': 'AA---',
  'vm.stop': 'AA---',
  'vm.destroy': 'AA---',
  'vm.snapshot': 'AA---',
  'network.create': 'AA---',
  'route.change': '---A-',
  'exit.start': 'AA---',
  'exit.hold': '---A-',
  'exit.release': '---A-',
  'export.third-party': 'AA---',
};

/** A request whose applicable gates all passed (the others not_applicable). */
function request(action: string, role: Role, over: Partial<Pick<AuthzRequest, 'hasReason'>> & { fail?: number } = {}): AuthzRequest {
  const applicable = new Set(isAction(action) ? gatesFor(action) : []);
  const gates: Record<string, 'pass' | 'fail' | 'not_applicable'> = {};
  for (let g = 1; g <= 17; g++) gates[String(g)] = g === over.fail ? 'fail' : applicable.has(g) ? 'pass' : 'not_applicable';
  return { actor: ACTOR, role, action, resource: 'imvu:IMVU-042', imvu: 'IMVU-042', gates, hasReason: over.hasReason ?? true };
}

/** A scratch copy of the real policy directory. */
function scratch(t: Test): string {
  const dir = tempDir('nexus-cedar-');
  cpSync(POLICIES, dir, { recursive: true });
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('the schema declares exactly the registered actions', async (t) => {
  t.same([...authorizer.actions].sort(), Object.keys(ACTIONS).sort());
  t.same(Object.keys(MATRIX).sort(), Object.keys(ACTIONS).sort(), 'the table covers every action');
  const operatorColumn = Object.entries(MATRIX).filter(([, row]) => row[3] === 'A').map(([a]) => a).sort();
  t.same(operatorColumn, [...OPERATOR_ACTIONS].sort(), 'the operator column is exactly OPERATOR_ACTIONS');
});

t.test('allow/deny matrix: every registered action by every role', async (t) => {
  for (const [action, row] of Object.entries(MATRIX)) {
    ROLES.forEach((role, i) => {
      const answer = authorizer.authorize(request(action, role));
      const expected = row[i] === 'A' ? 'allow' : 'deny';
      t.equal(answer.decision, expected, `${role} ${action}`);
      t.same(answer.errors, [], `${role} ${action}: no errors`);
      if (expected === 'allow') t.equal(answer.policies.length, 1, `${role} ${action}: one determining policy`);
    });
  }
});

t.test('every request the adapter builds conforms to the schema (so Cedar need not re-validate it)', async (t) => {
  const schema = readFileSync(join(POLICIES, 'schema.cedarschema'), 'utf8');
  const json = schemaToJson(schema);
  const hierarchy = actionHierarchy(json.type === 'success' ? json.json['NexusCos']?.actions ?? {} : {});
  for (const action of Object.keys(ACTIONS)) {
    t.ok((hierarchy.get(action)?.length ?? 0) >= 2, `${action}: the action and its group`);
    for (const role of ROLES) {
      const call = cedarRequest(request(action, role, { fail: 3, hasReason: role === 'owner' }), hierarchy.get(action));
      if ('error' in call) {
        t.fail(`${role} ${action}: ${call.error}`);
        continue;
      }
      t.same(checkParseContext({ context: call.context, schema, action: call.action }), { type: 'success' }, `${role} ${action}: context`);
      t.same(checkParseEntities({ entities: call.entities, schema }), { type: 'success' }, `${role} ${action}: entities`);
    }
  }
  const { g7: _dropped, ...short } = { g1: 'pass', g7: 'pass' };
  t.equal(checkParseContext({ context: { gates: short, hasReason: true, role: 'owner' }, schema, action: { type: 'NexusCos::Action', id: 'vm.create' } }).type, 'failure', 'the check does catch a non-conforming context');
  const forged = { uid: { type: 'NexusCos::Action', id: 'vm.create' }, attrs: {}, parents: [{ type: 'NexusCos::Action', id: 'operator-actions' }] };
  t.equal(checkParseEntities({ entities: [forged], schema }).type, 'failure', 'the check does catch a hierarchy the schema does not declare');
});

t.test('determining policies are named by their @id', async (t) => {
  t.same(authorizer.authorize(request('vm.create', 'owner')).policies, ['owner.tenant-actions']);
  t.same(authorizer.authorize(request('vm.create', 'delegate')).policies, ['delegate.tenant-actions']);
  t.same(authorizer.authorize(request('quota.change', 'operator')).policies, ['operator.operator-actions']);
  t.same(authorizer.authorize(request('statement.issue', 'platform')).policies, ['platform.statement-issue']);
  t.same(authorizer.authorize(request('vm.create', 'stranger')).policies, [], 'a default deny names no policy');
  t.same(authorizer.authorize(request('vm.create', 'operator')).policies, ['forbid.privileged-on-tenant-data']);
});

t.test('the request the evaluator builds is the one the policies read', async (t) => {
  const req: GateRequest = { action: 'quota.change', actor: ACTOR, resource: 'imvu:IMVU-042', imvu: 'IMVU-042', reason: 'abuse report #7', proof: { signatureValid: true, created: 0, expires: 1, replayed: false } };
  const applicable = new Set(gatesFor('quota.change'));
  const results: GateResult[] = Array.from({ length: 17 }, (_, i): GateResult => ({
    gate: i + 1, name: GATE_NAMES[i + 1] as GateResult['name'], result: applicable.has(i + 1) ? (i + 1 === 12 ? 'fail' : 'pass') : 'not_applicable', evidence: {},
  }));
  t.equal(authorizer.authorize(authzRequest(req, { role: 'operator', results: results.map((r) => (r.gate === 12 ? { ...r, result: 'pass' } : r)), failed: [] })).decision, 'allow');
  const failing = authorizer.authorize(authzRequest(req, { role: 'operator', results, failed: [12] }));
  t.equal(failing.decision, 'deny');
  t.same(failing.policies, ['forbid.failed-gate']);
});

t.test('forbid wins over permit', async (t) => {
  for (let gate = 1; gate <= 17; gate++) {
    const answer = authorizer.authorize(request('quota.change', 'operator', { fail: gate }));
    t.equal(answer.decision, 'deny', `operator quota.change with gate ${gate} failing`);
    t.ok(answer.policies.includes('forbid.failed-gate'));
  }
  t.equal(authorizer.authorize(request('vm.create', 'owner', { fail: 4 })).decision, 'deny', 'owner with a failing gate');
  for (const action of ['imvu.suspend', 'imvu.resume', 'quota.change', 'route.change'] as const) {
    const answer = authorizer.authorize(request(action, 'operator', { hasReason: false }));
    t.equal(answer.decision, 'deny', `operator ${action} without a reason`);
    t.same(answer.policies, ['forbid.capacity-network-without-reason']);
  }
  t.same(authorizer.authorize(request('exit.hold', 'operator', { hasReason: false })).policies, ['forbid.hold-without-reason']);
  t.equal(authorizer.authorize(request('mail.read', 'operator', { hasReason: false })).decision, 'allow', 'mail.read rests on consent (gate 10), not a reason');
});

t.test('an added permit cannot give the operator god mode', async (t) => {
  const dir = scratch(t);
  writeFileSync(join(dir, 'zz-mistake.cedar'), '@id("mistake.operator-everything")\npermit (principal, action, resource) when { context.role == "operator" };\n');
  const loose = CedarAuthorizer.load(dir);
  const named = Object.keys(ACTIONS).filter((a) => a.startsWith('vm.') || ['exit.start', 'dns.change', 'mail.send'].includes(a));
  t.ok(named.length >= 8);
  for (const action of named) {
    const answer = loose.authorize(request(action, 'operator'));
    t.equal(answer.decision, 'deny', `operator ${action}`);
    t.same(answer.policies, ['forbid.privileged-on-tenant-data']);
  }
  t.equal(loose.authorize(request('imvu.update', 'operator')).decision, 'allow', 'the mistaken permit does act where no forbid names the action');
});

t.test('malformed requests are denied with an error, never thrown', async (t) => {
  const unknown = authorizer.authorize(request('vm.teleport', 'owner'));
  t.equal(unknown.decision, 'deny');
  t.equal(unknown.errors.length, 1);
  t.equal(authorizer.authorize(request('tenant-actions', 'owner')).decision, 'deny', 'an action group is not requestable');
  const { ['7']: _missing, ...partial } = request('vm.create', 'owner').gates;
  const missing = authorizer.authorize({ ...request('vm.create', 'owner'), gates: partial });
  t.equal(missing.decision, 'deny');
  t.equal(missing.errors.length, 1, 'a missing gate outcome is an error');
  const odd = authorizer.authorize({ ...request('vm.create', 'owner'), gates: { ...request('vm.create', 'owner').gates, '18': 'pass' } });
  t.equal(odd.decision, 'deny', 'an unknown gate number is an error');
});

t.test('load refuses a policy set that does not validate, naming the file', async (t) => {
  const cases: Record<string, string> = {
    'no-such-gate.cedar': '@id("bad.gate")\npermit (principal, action, resource) when { context.gates.g71 == "pass" };\n',
    'no-such-action.cedar': '@id("bad.action")\npermit (principal, action == NexusCos::Action::"vm.teleport", resource);\n',
    'type-error.cedar': '@id("bad.type")\npermit (principal, action, resource) when { context.hasReason == "yes" };\n',
    'no-id.cedar': 'permit (principal, action, resource) when { context.role == "owner" };\n',
    'zz-duplicate-id.cedar': '@id("owner.tenant-actions")\npermit (principal, action, resource) when { context.role == "owner" };\n',
    'syntax.cedar': '@id("bad.syntax")\npermit (principal, action, resource) when { context.role == };\n',
  };
  for (const [file, text] of Object.entries(cases)) {
    const dir = scratch(t);
    writeFileSync(join(dir, file), text);
    throwsCode(t, () => CedarAuthorizer.load(dir), 'INPUT_INVALID', file);
    try {
      CedarAuthorizer.load(dir);
    } catch (e) {
      t.equal(isNexusError(e) ? e.field : undefined, file, `${file}: the error names the file`);
    }
  }
  const noSchema = scratch(t);
  rmSync(join(noSchema, 'schema.cedarschema'));
  throwsCode(t, () => CedarAuthorizer.load(noSchema), 'INPUT_INVALID', 'no schema');
  const badSchema = scratch(t);
  writeFileSync(join(badSchema, 'schema.cedarschema'), 'namespace NexusCos { entity Identity = { role: Strin }; }');
  throwsCode(t, () => CedarAuthorizer.load(badSchema), 'INPUT_INVALID', 'a schema that does not parse');
});

t.test('the digest names the exact files in force', async (t) => {
  t.match(authorizer.policyDigest, /^[0-9a-f]{64}$/);
  t.equal(CedarAuthorizer.load(scratch(t)).policyDigest, authorizer.policyDigest, 'same files, same digest');
  const edited = scratch(t);
  writeFileSync(join(edited, 'platform.cedar'), `${readFileSync(join(edited, 'platform.cedar'), 'utf8')}\n`);
  t.not(CedarAuthorizer.load(edited).policyDigest, authorizer.policyDigest, 'a one-byte edit changes it');
  const schema = scratch(t);
  writeFileSync(join(schema, 'schema.cedarschema'), `// v2\n${readFileSync(join(schema, 'schema.cedarschema'), 'utf8')}`);
  t.not(CedarAuthorizer.load(schema).policyDigest, authorizer.policyDigest, 'a schema edit changes it');
  const renamed = scratch(t);
  cpSync(join(renamed, 'owner.cedar'), join(renamed, 'owners.cedar'));
  rmSync(join(renamed, 'owner.cedar'));
  t.not(CedarAuthorizer.load(renamed).policyDigest, authorizer.policyDigest, 'a rename changes it');
});
