import t from 'tap';
import { exitReadiness as gate } from '../../../../appliance/src/domain/gates/rules/g15-exit-readiness.js';
import { DIGEST, ID, facts, failsWith, imvuFacts, judge, passes, request } from '../fixture.js';

const held = facts({ imvus: [imvuFacts({ legalHold: { reason: 'Court order 12 O 345/26', signedBy: ID.operator, envelopeDigest: DIGEST } })] });

t.test('an exit passes unless a signed legal hold blocks it, and the owner is shown why', async (t) => {
  passes(t, judge(gate, request('exit.start')));
  const r = judge(gate, request('exit.start'), held);
  failsWith(t, r, 'LEGAL_HOLD');
  t.equal(r.evidence['holdReason'], 'Court order 12 O 345/26');
  t.equal(r.evidence['holdEnvelopeDigest'], DIGEST);
  t.equal(r.evidence['holdSignedBy'], ID.operator);
  passes(t, judge(gate, request('export.third-party')));
  failsWith(t, judge(gate, request('export.third-party'), held), 'LEGAL_HOLD');
  failsWith(t, judge(gate, request('exit.start', { imvu: 'IMVU-999' })), 'IMVU_UNKNOWN');
});

t.test('a hold is placed only with a signed reason; a release always passes', async (t) => {
  passes(t, judge(gate, request('exit.hold', { actor: ID.operator, params: { holdReason: 'Court order 12 O 345/26', holdEnvelopeDigest: DIGEST } })));
  failsWith(t, judge(gate, request('exit.hold', { actor: ID.operator, params: { holdReason: 'Court order' } })), 'HOLD_UNSIGNED');
  failsWith(t, judge(gate, request('exit.hold', { actor: ID.operator, params: { holdReason: '  ', holdEnvelopeDigest: DIGEST } })), 'HOLD_UNSIGNED');
  failsWith(t, judge(gate, request('exit.hold', { actor: ID.operator, params: { holdReason: 'x', holdEnvelopeDigest: 'nothex' } })), 'HOLD_UNSIGNED');
  const r = judge(gate, request('exit.release', { actor: ID.operator }), held);
  passes(t, r);
  t.equal(r.evidence['hold'], 'lifted');
});

t.test('nothing creates data the exit cannot carry', async (t) => {
  passes(t, judge(gate, request('vm.create', { params: { diskFormat: 'qcow2' } })));
  passes(t, judge(gate, request('vm.snapshot', { params: { diskFormat: 'qcow2' } })));
  failsWith(t, judge(gate, request('vm.snapshot', { params: { diskFormat: 'vmdk' } })), 'UNSUPPORTED_EXPORT_FORMAT');
  failsWith(t, judge(gate, request('vm.create')), 'UNSUPPORTED_EXPORT_FORMAT');
  failsWith(t, judge(gate, request('vm.destroy')), 'UNHANDLED_ACTION');
});
