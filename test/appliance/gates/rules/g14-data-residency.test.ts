import t from 'tap';
import { storageCompatible } from '../../../../appliance/src/domain/gates/rules/jurisdiction.js';
import { dataResidency as gate } from '../../../../appliance/src/domain/gates/rules/g14-data-residency.js';
import { ID, facts, failsWith, imvuFacts, judge, passes, request } from '../fixture.js';

t.test('the compatibility rule', async (t) => {
  t.ok(storageCompatible('DE', 'DE'));
  t.ok(storageCompatible('DE', 'DE-BY'), 'a country pool serves its subdivisions');
  t.ok(storageCompatible('DE-BY', 'DE-BY'));
  t.notOk(storageCompatible('DE-BY', 'DE'), 'a subdivision pool serves only itself');
  t.notOk(storageCompatible('DE-BY', 'DE-BE'));
  t.ok(storageCompatible('EU', 'FR'));
  t.ok(storageCompatible('EU', 'GR-I'));
  t.notOk(storageCompatible('EU', 'CH'), 'Switzerland is not a member');
  t.notOk(storageCompatible('EU', 'GB'));
  t.notOk(storageCompatible('US', 'DE'));
  t.notOk(storageCompatible('de', 'DE'), 'a malformed pool tag serves nothing');
});

t.test('data of a DE-BY IMVU goes to DE, DE-BY or EU storage only', async (t) => {
  for (const pool of ['pool-de', 'pool-by', 'pool-eu']) passes(t, judge(gate, request('vm.create', { storagePool: pool })), pool);
  for (const pool of ['pool-be', 'pool-us']) failsWith(t, judge(gate, request('vm.create', { storagePool: pool })), 'STORAGE_JURISDICTION_MISMATCH', pool);
  failsWith(t, judge(gate, request('vm.create', { storagePool: 'pool-nowhere' })), 'STORAGE_UNTAGGED');
  failsWith(t, judge(gate, request('vm.create')), 'STORAGE_MISSING');
  failsWith(t, judge(gate, request('vm.create', { imvu: 'IMVU-999', storagePool: 'pool-de' })), 'IMVU_UNKNOWN');
  failsWith(t, judge(gate, request('vm.create', { storagePool: 'pool-de' }), facts({ imvus: [imvuFacts({ jurisdiction: '' })] })), 'JURISDICTION_MISSING');
});

t.test('imvu.create is judged against the jurisdiction it requests', async (t) => {
  const create = { imvu: 'IMVU-043', resource: 'imvu:IMVU-043', params: { owner: ID.owner } } as const;
  passes(t, judge(gate, request('imvu.create', { ...create, jurisdiction: 'AT', storagePool: 'pool-eu' })));
  failsWith(t, judge(gate, request('imvu.create', { ...create, jurisdiction: 'CH', storagePool: 'pool-eu' })), 'STORAGE_JURISDICTION_MISMATCH');
  failsWith(t, judge(gate, request('imvu.create', { ...create, storagePool: 'pool-eu' })), 'JURISDICTION_MISSING');
});

t.test('imvu.update: a new jurisdiction must fit the storage the IMVU is on', async (t) => {
  passes(t, judge(gate, request('imvu.update', { storagePool: 'pool-de', jurisdiction: 'DE-BE' })), 'DE pool holds DE-BE');
  failsWith(t, judge(gate, request('imvu.update', { storagePool: 'pool-by', jurisdiction: 'US' })), 'STORAGE_JURISDICTION_MISMATCH');
  passes(t, judge(gate, request('imvu.update', { storagePool: 'pool-by' })), 'no change of tag: judged against the current one');
});
