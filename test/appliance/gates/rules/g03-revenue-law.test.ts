import t from 'tap';
import { revenueLaw as gate } from '../../../../appliance/src/domain/gates/rules/g03-revenue-law.js';
import { ID, failsWith, judge, passes, request } from '../fixture.js';

t.test('the constitutional split passes; any other split fails', async (t) => {
  passes(t, judge(gate, request('ratecard.publish', { params: { split: { creatorBps: 5500, platformBps: 4500 } } })));
  passes(t, judge(gate, request('ratecard.publish', { params: {} })), 'no split member');
  for (const split of [{ creatorBps: 5000, platformBps: 5000 }, { creatorBps: 5500, platformBps: 4500, bonus: 1 }, { creatorBps: '5500', platformBps: '4500' }, null, '55/45']) {
    failsWith(t, judge(gate, request('ratecard.publish', { params: { split } })), 'SPLIT_CHANGED', `split ${JSON.stringify(split)}`);
  }
});

t.test('statements reconcile to the unit under the published rounding', async (t) => {
  const issue = (gross: unknown, creator: unknown, platform: unknown) =>
    judge(gate, request('statement.issue', { actor: ID.platform, params: { gross, creator, platform } }));
  passes(t, issue('101', '56', '45'), '101 → 56/45 (leftover unit to the creator)');
  passes(t, issue('0', '0', '0'));
  passes(t, issue('100000000000000000000000001', '55000000000000000000000001', '45000000000000000000000000'), 'beyond 2^53');
  failsWith(t, issue('101', '55', '46'), 'SHARES_MISMATCH');
  failsWith(t, issue('101', '56', '44'), 'SHARES_MISMATCH');
  failsWith(t, issue(101, 56, 45), 'AMOUNT_INVALID');
  failsWith(t, issue('0101', '56', '45'), 'AMOUNT_INVALID');
  failsWith(t, issue('-1', '0', '0'), 'AMOUNT_INVALID');
  failsWith(t, issue('1.5', '1', '0'), 'AMOUNT_INVALID');
  failsWith(t, judge(gate, request('statement.issue', { actor: ID.platform, params: {} })), 'AMOUNTS_MISSING');
});

t.test('a revenue report that sends amounts is held to the same rounding', async (t) => {
  passes(t, judge(gate, request('revenue.report', { params: { gross: '3', creator: '2', platform: '1' } })));
  failsWith(t, judge(gate, request('revenue.report', { params: { gross: '3', creator: '1', platform: '2' } })), 'SHARES_MISMATCH');
  failsWith(t, judge(gate, request('revenue.report', { params: { gross: '3' } })), 'AMOUNT_INVALID');
});
