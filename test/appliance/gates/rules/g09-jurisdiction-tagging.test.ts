import t from 'tap';
import { jurisdictionTagging as gate } from '../../../../appliance/src/domain/gates/rules/g09-jurisdiction-tagging.js';
import { ID, facts, failsWith, imvuFacts, judge, passes, request } from '../fixture.js';

t.test('a creation carries its own tag; resources of an IMVU inherit the IMVU\u2019s', async (t) => {
  const create = judge(gate, request('imvu.create', { imvu: 'IMVU-043', jurisdiction: 'FR', params: { owner: ID.owner } }));
  passes(t, create);
  t.equal(create.evidence['source'], 'request');
  const inherited = judge(gate, request('vm.create'));
  passes(t, inherited);
  t.equal(inherited.evidence['jurisdiction'], 'DE-BY');
  t.equal(inherited.evidence['source'], 'imvu');
  passes(t, judge(gate, request('identity.register', { actor: ID.newcomer, jurisdiction: 'US-CA' })));
});

t.test('a missing or malformed tag is refused', async (t) => {
  failsWith(t, judge(gate, request('imvu.create', { imvu: 'IMVU-043', params: { owner: ID.owner } })), 'JURISDICTION_MISSING');
  const { imvu: _omit, ...noImvu } = request('identity.register');
  failsWith(t, judge(gate, noImvu), 'JURISDICTION_MISSING');
  failsWith(t, judge(gate, request('vm.create', { imvu: 'IMVU-999' })), 'JURISDICTION_MISSING');
  for (const j of ['de', 'DEU', 'DE-', 'DE-BAYE', 'D', 'DE_BY', ' DE']) {
    failsWith(t, judge(gate, request('imvu.create', { imvu: 'IMVU-043', jurisdiction: j })), 'JURISDICTION_INVALID', j);
  }
  failsWith(t, judge(gate, request('vm.create'), facts({ imvus: [imvuFacts({ jurisdiction: 'Bavaria' })] })), 'JURISDICTION_INVALID');
});
