import t from 'tap';
import fc from 'fast-check';
import { fromBase64, toBase64 } from '../../../sdk/src/encoding/base64.js';
import { utf8 } from '../../../sdk/src/encoding/utf8.js';
import { isNexusError } from '../../../sdk/src/errors/index.js';
import { computeStatement } from '../../../sdk/src/revenue/statement.js';
import { verifyStatement, type VerifyStatementOptions } from '../../../sdk/src/revenue/verify-statement.js';
import { signEnvelopeSync, signJsonSync } from '../../../sdk/src/sign/envelope.js';
import { STATEMENT_MEDIA_TYPE, type Statement } from '../../../sdk/src/schemas/revenue.js';
import { TrustedKeys } from '../../../sdk/src/verify/trust.js';
import { throwsCode } from '../../helpers/codes.js';
import { Chain, IMVU, owner, platform, price, reporterA, stranger } from './fixture.js';

const VCPU = price('compute.vcpu', 'vcpu-second', 3n, 3600n);
const trusted = new TrustedKeys([platform.publicKey]);
const ownerKeys = new TrustedKeys([owner.publicKey]);

function build(revenue = 995n, cardSigner = owner, split?: { creatorBps: number; platformBps: number }): Chain {
  const c = new Chain();
  c.rateCard('2025-01-01T00:00:00Z', 1, '2025-01-01T00:00:00Z', [VCPU], cardSigner, split === undefined ? {} : { split: split as never });
  c.usage('2025-01-01T01:00:00Z', 'compute.vcpu', 'vcpu-second', 7200n);
  c.revenue('2025-01-01T02:00:00Z', revenue, reporterA);
  c.audit('2025-01-01T03:00:00Z');
  c.usage('2025-01-01T04:00:00Z', 'compute.vcpu', 'vcpu-second', 3600n);
  return c;
}

function opts(c: Chain, over: Partial<VerifyStatementOptions> = {}): VerifyStatementOptions {
  return { entries: c.entries, rateCardEnvelopes: c.cardEnvelopes, trusted, ownerKeys, ...over };
}

const chain = build();
const statement = computeStatement({ imvu: IMVU, currency: 'EUR', entries: chain.entries, rateCards: chain.cards });
const signed = signJsonSync(STATEMENT_MEDIA_TYPE, statement, [platform]);
const sign = (s: unknown) => signJsonSync(STATEMENT_MEDIA_TYPE, s, [platform]);

t.test('sign with a LocalSigner, verify offline', async (t) => {
  const v = verifyStatement(JSON.parse(JSON.stringify(signed)), opts(chain));
  t.same(v.statement, statement);
  t.same(v.signedBy, [platform.publicKey.id]);
  t.same([statement.gross, statement.creator, statement.platform], ['1004', '552', '452']);
});

t.test('a changed amount in an entry (re-signed, chain rebuilt) is STATEMENT_MISMATCH at the root', async (t) => {
  const forged = build(996n);
  try {
    verifyStatement(signed, opts(forged));
    t.fail('verified');
  } catch (e) {
    t.ok(isNexusError(e) && e.code === 'STATEMENT_MISMATCH' && e.field === '/covers/root', String(e));
  }
});

t.test('a missing entry is STATEMENT_MISMATCH', async (t) => {
  const missing = [...chain.entries.slice(0, 2), ...chain.entries.slice(3)];
  throwsCode(t, () => verifyStatement(signed, opts(chain, { entries: missing })), 'STATEMENT_MISMATCH', 'middle entry dropped');
  throwsCode(t, () => verifyStatement(signed, opts(chain, { entries: chain.entries.slice(0, 4) })), 'STATEMENT_MISMATCH', 'last entry dropped');
  throwsCode(t, () => verifyStatement(signed, opts(chain, { entries: chain.entries.slice(1) })), 'STATEMENT_MISMATCH', 'first entry dropped');
});

t.test('a rate card signed by a stranger is refused', async (t) => {
  const c = build(995n, stranger);
  const s = sign(computeStatement({ imvu: IMVU, currency: 'EUR', entries: c.entries, rateCards: c.cards }));
  throwsCode(t, () => verifyStatement(s, opts(c)), 'SIGNATURE_UNTRUSTED', 'stranger-signed card');
  throwsCode(t, () => verifyStatement(s, opts(c, { rateCardEnvelopes: [] })), 'RATE_CARD_MISSING', 'card withheld');
});

t.test('gate 3: a 5000/5000 split is REVENUE_SPLIT_VIOLATION, in a statement or a card', async (t) => {
  throwsCode(t, () => verifyStatement(sign({ ...statement, split: { creatorBps: 5000, platformBps: 5000 } }), opts(chain)), 'REVENUE_SPLIT_VIOLATION', 'statement split');
  throwsCode(t, () => verifyStatement(sign({ ...statement, creator: '502', platform: '502' }), opts(chain)), 'REVENUE_SPLIT_VIOLATION', 'statement shares 50/50');
  throwsCode(t, () => verifyStatement(sign({ ...statement, creator: '553', platform: '451' }), opts(chain)), 'REVENUE_SPLIT_VIOLATION', 'unit to the wrong side');
  const c = build(995n, owner, { creatorBps: 5000, platformBps: 5000 });
  throwsCode(t, () => verifyStatement(signed, opts(chain, { rateCardEnvelopes: c.cardEnvelopes })), 'REVENUE_SPLIT_VIOLATION', 'owner-signed 5000/5000 card');
});

t.test('a consistent but wrong statement names the first differing field', async (t) => {
  const lines = structuredClone(statement.lines);
  lines[0]!.amount = '7';
  const wrong: Statement = { ...statement, lines, gross: '1005', creator: '553', platform: '452' };
  try {
    verifyStatement(sign(wrong), opts(chain));
    t.fail('verified');
  } catch (e) {
    t.ok(isNexusError(e) && e.code === 'STATEMENT_MISMATCH' && e.field === '/lines/0/amount', String(e));
  }
  throwsCode(t, () => verifyStatement(sign({ ...statement, period: { ...statement.period, to: '2025-01-02T00:00:00Z' } }), opts(chain)), 'STATEMENT_MISMATCH', 'period');
  throwsCode(t, () => verifyStatement(sign({ ...statement, rateCards: [] }), opts(chain)), 'STATEMENT_MISMATCH', 'cards not listed');
  const spaced = signEnvelopeSync(STATEMENT_MEDIA_TYPE, utf8(JSON.stringify(statement, null, 1)), [platform]);
  throwsCode(t, () => verifyStatement(spaced, opts(chain)), 'STATEMENT_MISMATCH', 'non-canonical payload');
});

t.test('signatures and types', async (t) => {
  throwsCode(t, () => verifyStatement(signJsonSync(STATEMENT_MEDIA_TYPE, statement, [stranger]), opts(chain)), 'SIGNATURE_UNTRUSTED', 'statement by a stranger');
  throwsCode(t, () => verifyStatement(signJsonSync('application/vnd.nexus-cos.rate-card.v1+json', statement, [platform]), opts(chain)), 'ENVELOPE_PAYLOAD_TYPE');
  throwsCode(t, () => verifyStatement(signed, opts(chain, { ownerKeys: new TrustedKeys() })), 'SIGNATURE_UNTRUSTED', 'no owner keys');
});

t.test('property: any single-byte change to the signed statement fails with a coded error', async (t) => {
  const payload = fromBase64(signed.payload);
  fc.assert(
    fc.property(fc.nat(payload.length - 1), fc.integer({ min: 1, max: 255 }), (i, x) => {
      const p = Uint8Array.from(payload);
      p[i] = (p[i] as number) ^ x;
      try {
        verifyStatement({ ...signed, payload: toBase64(p) }, opts(chain));
        return false;
      } catch (e) {
        return isNexusError(e) && e.code === 'SIGNATURE_INVALID';
      }
    }),
    { numRuns: 200 },
  );
  t.pass();
});
