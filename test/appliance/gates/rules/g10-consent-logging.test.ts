import t from 'tap';
import { consentLogging as gate } from '../../../../appliance/src/domain/gates/rules/g10-consent-logging.js';
import { ID, facts, failsWith, imvuFacts, judge, passes, request } from '../fixture.js';

t.test('an action processing personal data needs its purpose consented', async (t) => {
  const r = judge(gate, request('mailbox.create'));
  passes(t, r);
  t.equal(r.evidence['purpose'], 'mail.processing');
  passes(t, judge(gate, request('export.third-party')));
  failsWith(t, judge(gate, request('mail.read', { actor: ID.operator })), 'CONSENT_MISSING');
  const consented = facts({ imvus: [imvuFacts({ consents: ['mail.operator-access'] })] });
  passes(t, judge(gate, request('mail.read', { actor: ID.operator }), consented));
});

t.test('a withdrawal is honoured by the next request', async (t) => {
  const withdrawn = facts({ imvus: [imvuFacts({ consents: ['export.third-party'] })] });
  const r = judge(gate, request('mailbox.create'), withdrawn);
  failsWith(t, r, 'CONSENT_MISSING');
  t.equal(r.evidence['purpose'], 'mail.processing');
});

t.test('creations carry their identity-attributes consent', async (t) => {
  passes(t, judge(gate, request('imvu.create', { params: { consents: ['identity.attributes'] } })));
  passes(t, judge(gate, request('identity.register', { params: { consents: ['mail.processing', 'identity.attributes'] } })));
  failsWith(t, judge(gate, request('imvu.create', { params: { consents: ['mail.processing'] } })), 'CONSENT_MISSING');
  failsWith(t, judge(gate, request('identity.register', { params: { consents: 'identity.attributes' } })), 'CONSENT_MISSING');
});

t.test('consent records themselves pass; unknown IMVU and unhandled actions fail closed', async (t) => {
  passes(t, judge(gate, request('consent.withdraw')));
  failsWith(t, judge(gate, request('mailbox.create', { imvu: 'IMVU-999' })), 'IMVU_UNKNOWN');
  failsWith(t, judge(gate, request('vm.create')), 'UNHANDLED_ACTION');
});
