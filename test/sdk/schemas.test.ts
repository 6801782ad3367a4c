import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffSchemas, kebab, SCHEMA_DIR } from '../../scripts/gen-schemas.js';
import { toBase64 } from '../../sdk/src/encoding/base64.js';
import { toDidKey } from '../../sdk/src/identity/did-key.js';
import { assertLegalHoldV1 } from '../../sdk/src/schemas/legal-hold.js';
import {
  assertDnsTransferV1,
  EXIT_BUNDLE_MANIFEST_MEDIA_TYPE,
  Envelope,
  GATE_NAME_LIST,
  GATE_NAMES,
  GENESIS_PREV,
  LEDGER_KINDS,
  ROUNDING_RULE,
  SCHEMAS,
  TRUSTED_ROOT_MEDIA_TYPE,
  assertCheckpointV1,
  assertConsentV1,
  assertConsistencyProofV1,
  assertExitBundleManifestV1,
  assertGateDecisionV1,
  assertIdentityV1,
  assertImvuV1,
  assertInclusionProofV1,
  assertKeyRotationV1,
  assertLedgerEntryV1,
  assertRateCardV1,
  assertSchema,
  assertStatementV1,
  type LedgerEntry,
} from '../../sdk/src/schemas/index.js';
import { throwsCode } from '../helpers/codes.js';
import { assertHeadProofV1, assertLedgerSliceV1, assertRevenueReportV1, assertStatementBundleV1, assertTrustedRootV1, assertSignedRequestV1 } from '../../sdk/src/schemas/index.js';

const key = (n: number) => Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + n) & 0xff);
const ALICE = toDidKey(key(1));
const BOB = toDidKey(key(2));
const PLATFORM = toDidKey(key(3));
const HASH = toBase64(new Uint8Array(32).fill(9));
const HEX = 'ab'.repeat(32);
const NOTE_TEXT = 'nexus-cos.dev/log\n1\n' + toBase64(new Uint8Array(32)) + '\n\n— nexus-cos.dev/log AAAA\n';
const headProof = { v: 1, chain: 'IMVU-042', seq: '3', head: HEX, index: '0', count: '1', hashes: [], checkpoint: NOTE_TEXT };
const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-02-01T00:00:00.000Z';
const NOTE = `nexus-cos.dev/log\n42\n${HASH}\n\n\u2014 nexus-cos.dev/log AAAA\n`;

// A deep copy with one change applied, so each negative case differs from a valid example by one thing.
function mutate<T>(value: T, change: (copy: any) => void): unknown {
  const copy = structuredClone(value);
  change(copy);
  return copy;
}

const imvu = {
  id: 'IMVU-042',
  owner: ALICE,
  jurisdiction: 'DE',
  status: 'active',
  createdAt: T0,
  resources: { domains: ['example.org'], mailboxes: ['alice@example.org'], vms: ['web-1'], networks: ['lan'] },
  quotas: { vcpus: 4, memoryMiB: 8192, diskGiB: 100, vms: 2 },
  consents: [{ purpose: 'mail.hosting', grantedBy: ALICE, grantedAt: T0 }],
};
const rateCard = {
  imvu: 'IMVU-042',
  version: 1,
  currency: 'EUR',
  effectiveFrom: T0,
  prices: [{ meter: 'compute.vcpu', unit: 'vcpu-second', priceMinor: '3', per: '3600' }],
  split: { creatorBps: 5500, platformBps: 4500 },
};
const manifest = {
  mediaType: EXIT_BUNDLE_MANIFEST_MEDIA_TYPE,
  imvu: 'IMVU-042',
  createdAt: T1,
  files: [{ path: 'ledger/entries.jsonl', size: '1234', sha256: HEX, mediaType: 'application/jsonl' }],
  anchor: { checkpoint: NOTE, treeSize: '42', imvuHead: { seq: '17', head: HEX } },
};

// One valid example and its guard per registry entry; a new registry entry without one fails below.
const EXAMPLES: Record<string, { value: unknown; assert: (x: unknown) => void }> = {
  Envelope: {
    value: { payloadType: 'application/vnd.nexus-cos.imvu.v1+json', payload: 'e30=', signatures: [{ keyid: ALICE, sig: HASH }] },
    // envelope.ts has no assert…V1 guard of its own; verify/envelope uses assertSchema with this code.
    assert: (x) => assertSchema(Envelope, x, 'ENVELOPE_MALFORMED'),
  },
  Identity: {
    value: { id: ALICE, publicKey: toBase64(key(1)), createdAt: T0, status: 'active', recoveryKeys: [BOB] },
    assert: assertIdentityV1,
  },
  KeyRotation: {
    value: { oldKey: ALICE, newKey: BOB, reason: 'scheduled rotation', signedBy: 'old', time: T1 },
    assert: assertKeyRotationV1,
  },
  Imvu: { value: imvu, assert: assertImvuV1 },
  Consent: { value: { purpose: 'export.third-party', grantedBy: ALICE, grantedAt: T0, withdrawnAt: T1 }, assert: assertConsentV1 },
  GateDecision: {
    value: {
      action: 'dns.zone.update',
      actor: ALICE,
      resource: 'dns:example.org',
      imvu: 'IMVU-042',
      results: [
        { gate: 1, name: 'Identity Proof', result: 'pass', evidence: { keyid: ALICE } },
        { gate: 7, name: 'DNS Mutation Authorization', result: 'fail', code: 'RECORD_OUTSIDE_ZONE', evidence: {} },
        { gate: 8, name: 'Mail Identity', result: 'not_applicable', evidence: {} },
      ],
      decision: 'deny',
      policyDigest: HEX,
      deciders: ['nexus-cos/gates@1'],
      time: T1,
    },
    assert: assertGateDecisionV1,
  },
  LedgerEntry: {
    value: { v: 1, kind: 'audit', imvu: null, seq: '0', prev: GENESIS_PREV, actor: PLATFORM, time: T0, action: 'platform.checkpoint.sign', resource: 'log', decision: HEX },
    assert: assertLedgerEntryV1,
  },
  Checkpoint: {
    value: { origin: 'nexus-cos.dev/log', size: '42', rootHash: HASH, heads: [{ chain: 'IMVU-042', seq: '17', head: HEX }, { chain: 'platform', seq: '2', head: HEX }] },
    assert: assertCheckpointV1,
  },
  InclusionProof: {
    value: { v: 1, logIndex: '7', treeSize: '42', leafHash: HASH, hashes: [HASH, HASH], checkpoint: NOTE },
    assert: assertInclusionProofV1,
  },
  ConsistencyProof: { value: { v: 1, oldSize: '7', newSize: '42', hashes: [HASH], oldCheckpoint: NOTE, newCheckpoint: NOTE }, assert: assertConsistencyProofV1 },
  RateCard: { value: rateCard, assert: assertRateCardV1 },
  Statement: {
    value: {
      imvu: 'IMVU-042',
      period: { from: T0, to: T1 },
      currency: 'EUR',
      rateCards: [{ version: 1, digest: HEX }],
      covers: { fromSeq: '0', toSeq: '41', count: '42', root: HASH },
      lines: [
        { kind: 'usage', meter: 'compute.vcpu', unit: 'vcpu-second', rateCard: 1, quantity: '7200', amount: '6' },
        { kind: 'revenue', reporter: BOB, events: '2', amount: '995' },
      ],
      gross: '1001',
      creator: '551',
      platform: '450',
      split: { creatorBps: 5500, platformBps: 4500 },
      roundingRule: ROUNDING_RULE,
    },
    assert: assertStatementV1,
  },
  ExitBundleManifest: { value: manifest, assert: assertExitBundleManifestV1 },
  TrustedRoot: {
    value: { mediaType: TRUSTED_ROOT_MEDIA_TYPE, origin: 'nexus-cos.dev/log', keys: [{ name: 'nexus-cos.dev/log', publicKey: PLATFORM }] },
    assert: assertTrustedRootV1,
  },
  HeadProof: { value: headProof, assert: assertHeadProofV1 },
  DnsTransfer: {
    value: { v: 1, domain: 'example.org', imvu: 'IMVU-042', owner: ALICE, releasedTo: 'registrar.example', zoneDigest: HEX, ds: ['12345 13 2 ' + HEX], decision: HEX, issuedAt: '2026-11-26T00:00:00.000Z', expiresAt: '2026-12-26T00:00:00.000Z' },
    assert: assertDnsTransferV1,
  },
  LedgerSlice: { value: { v: 1, chain: 'IMVU-042', entries: [toBase64(new Uint8Array(5))], headProof }, assert: assertLedgerSliceV1 },
  StatementBundle: {
    value: { v: 1, statement: { payloadType: 'application/vnd.nexus-cos.statement.v1+json', payload: HASH, signatures: [{ keyid: PLATFORM, sig: HASH }] }, slice: { v: 1, chain: 'IMVU-042', entries: [], headProof }, rateCards: [] },
    assert: assertStatementBundleV1,
  },
  SignedRequest: {
    value: { v: 1, method: 'POST', path: '/v1/imvus?x=1', bodySha256: HEX, actor: ALICE, nonce: 'AAAAAAAAAAAAAAAAAAAAAAAA', created: 1764140400000, expires: 1764140460000 },
    assert: assertSignedRequestV1,
  },
  RevenueReport: { value: { v: 1, imvu: 'IMVU-042', id: 'pay-1', amount: '1999', currency: 'EUR', time: T0 }, assert: assertRevenueReportV1 },
  LegalHold: { value: { imvu: 'IMVU-042', reason: 'court order 2026-117', time: T0 }, assert: assertLegalHoldV1 },
};

// Every `pattern` value and `patternProperties` key in a JSON Schema document.
function patternsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(patternsOf);
  if (node === null || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const own = typeof o.pattern === 'string' ? [o.pattern] : [];
  const keys = o.patternProperties && typeof o.patternProperties === 'object' ? Object.keys(o.patternProperties) : [];
  return [...own, ...keys, ...Object.values(o).flatMap(patternsOf)];
}

const MEDIA_TYPE = /^application\/vnd\.(nexus-cos\.[a-z-]+|dsse\.envelope)\.v1\+json$/;

t.test('registry: unique, well-formed media types and names', async (t) => {
  t.equal(new Set(SCHEMAS.map((s) => s.mediaType)).size, SCHEMAS.length, 'media types are unique');
  t.equal(new Set(SCHEMAS.map((s) => kebab(s.name))).size, SCHEMAS.length, 'file names are unique');
  for (const s of SCHEMAS) t.match(s.mediaType, MEDIA_TYPE, `${s.name} media type`);
});

for (const s of SCHEMAS) {
  t.test(`${s.name}: a valid example passes its guard`, async (t) => {
    const ex = EXAMPLES[s.name];
    if (ex === undefined) {
      t.fail(`no example for ${s.name}`);
      return;
    }
    const before = JSON.stringify(ex.value);
    t.doesNotThrow(() => ex.assert(ex.value));
    t.equal(JSON.stringify(ex.value), before, 'the guard does not change its input');
  });
}

t.test('ledger: every kind has a valid example and the union is closed', async (t) => {
  const h = { v: 1, imvu: 'IMVU-042', seq: '5', prev: HEX, actor: ALICE, time: T1 } as const;
  const entries: LedgerEntry[] = [
    { ...h, kind: 'usage', id: 'evt-1', source: '/appliance/meters/vm', type: 'dev.nexus-cos.usage', subject: 'vm:web-1', meter: 'compute.vcpu', quantity: '60', unit: 'vcpu-second' },
    { ...h, kind: 'revenue', id: 'pay-9', amount: '995', currency: 'EUR', reporter: BOB, envelope: HEX },
    { ...h, kind: 'audit', action: 'imvu.suspend', resource: 'imvu:IMVU-042', decision: HEX },
    { ...h, kind: 'notice', scope: 'quota', reason: 'host maintenance', effectiveAt: T1, declared: HEX },
    { ...h, kind: 'consent', op: 'withdraw', purpose: 'mail.hosting', grantedBy: ALICE },
    { ...h, kind: 'key_rotation', oldKey: ALICE, newKey: BOB, signedBy: 'recovery', envelope: HEX },
    { ...h, kind: 'dns_change', zone: 'example.org', before: HEX, after: HEX },
    { ...h, kind: 'mail', direction: 'outbound', mailbox: 'alice@example.org', message: HEX, size: '2048' },
    { ...h, kind: 'compute', vm: 'web-1', op: 'start', config: HEX },
    { ...h, kind: 'gate_decision', action: 'dns.zone.update', decision: 'deny', failed: [7], digest: HEX },
    { ...h, kind: 'statement', from: T0, to: T1, gross: '1001', digest: HEX },
    { ...h, imvu: null, kind: 'checkpoint', treeSize: '42', rootHash: HASH, note: HEX },
    { ...h, kind: 'rate_card', version: 2, effectiveFrom: T1, digest: HEX },
    { ...h, seq: '0', prev: GENESIS_PREV, kind: 'import', note: HEX, treeSize: '42', headSeq: '17', head: HEX, manifest: HEX, chain: HEX, proof: HEX },
  ];
  t.same(entries.map((e) => e.kind), [...LEDGER_KINDS], 'one example per kind, in schema order');
  for (const e of entries) t.doesNotThrow(() => assertLedgerEntryV1(e), e.kind);
  throwsCode(t, () => assertLedgerEntryV1({ ...entries[0], kind: 'bogus' }), 'PAYLOAD_INVALID', 'unknown kind');
  throwsCode(t, () => assertLedgerEntryV1({ ...entries[1], amount: 9.95 }), 'PAYLOAD_INVALID', 'float amount');
  throwsCode(t, () => assertLedgerEntryV1({ ...entries[1], amount: 995 }), 'PAYLOAD_INVALID', 'amount as a number');
  throwsCode(t, () => assertLedgerEntryV1({ ...entries[2], v: 2 }), 'PAYLOAD_INVALID', 'other version');
  throwsCode(t, () => assertLedgerEntryV1({ ...entries[2], prev: 'AB'.repeat(32) }), 'PAYLOAD_INVALID', 'upper-case prev');
  throwsCode(t, () => assertLedgerEntryV1({ ...entries[4], reason: 'x' }), 'PAYLOAD_INVALID', 'field of another kind');
  throwsCode(t, () => assertLedgerEntryV1({ ...entries[12], version: '2' }), 'PAYLOAD_INVALID', 'rate card version as a string');
  // A mail entry's direction: an import's message is `imported`; the list stays closed.
  t.doesNotThrow(() => assertLedgerEntryV1({ ...entries[7], direction: 'imported' }), 'imported mail');
  throwsCode(t, () => assertLedgerEntryV1({ ...entries[7], direction: 'delivered' }), 'PAYLOAD_INVALID', 'unknown mail direction');
});

t.test('invalid examples fail with PAYLOAD_INVALID', async (t) => {
  const cases: [string, (x: unknown) => void, unknown][] = [
    ['float price', assertRateCardV1, mutate(rateCard, (c) => (c.prices[0].priceMinor = 0.5))],
    ['float quota', assertImvuV1, mutate(imvu, (c) => (c.quotas.vcpus = 1.5))],
    ['missing jurisdiction', assertImvuV1, mutate(imvu, (c) => delete c.jurisdiction)],
    ['lower-case jurisdiction', assertImvuV1, mutate(imvu, (c) => (c.jurisdiction = 'de'))],
    ['split 5000/5000', assertRateCardV1, mutate(rateCard, (c) => (c.split = { creatorBps: 5000, platformBps: 5000 }))],
    ['zero divisor', assertRateCardV1, mutate(rateCard, (c) => (c.prices[0].per = '0'))],
    ['split 5000/5000 in a statement', assertStatementV1, mutate(EXAMPLES.Statement!.value, (c) => (c.split.creatorBps = 5000))],
    ['other rounding rule', assertStatementV1, mutate(EXAMPLES.Statement!.value, (c) => (c.roundingRule = 'banker'))],
    ['extra property', assertImvuV1, mutate(imvu, (c) => (c.admin = true))],
    ['extra nested property', assertRateCardV1, mutate(rateCard, (c) => (c.split.bonusBps = 1))],
    ['non-canonical public key', assertIdentityV1, mutate(EXAMPLES.Identity!.value, (c) => (c.publicKey = c.publicKey.slice(0, 42) + 'B='))],
    ['unknown identity status', assertIdentityV1, mutate(EXAMPLES.Identity!.value, (c) => (c.status = 'suspended'))],
    ['gate 18', assertGateDecisionV1, mutate(EXAMPLES.GateDecision!.value, (c) => (c.results[0].gate = 18))],
    ['misspelt gate name', assertGateDecisionV1, mutate(EXAMPLES.GateDecision!.value, (c) => (c.results[0].name = 'Identity proof'))],
    ['numeric evidence', assertGateDecisionV1, mutate(EXAMPLES.GateDecision!.value, (c) => (c.results[0].evidence.n = 1))],
    ['proof hash of 31 bytes', assertInclusionProofV1, mutate(EXAMPLES.InclusionProof!.value, (c) => (c.hashes[0] = toBase64(new Uint8Array(31))))],
    ['size as a number', assertConsistencyProofV1, { oldSize: 7, newSize: '42', hashes: [] }],
  ];
  for (const bad of ['../x', 'a/../x', '/etc/passwd', 'a//b', 'a\\b', '.', 'ledger/.hidden', 'a/', '']) {
    cases.push([`manifest path ${JSON.stringify(bad)}`, assertExitBundleManifestV1, mutate(manifest, (c) => (c.files[0].path = bad))]);
  }
  cases.push(['manifest media type', assertExitBundleManifestV1, mutate(manifest, (c) => (c.mediaType = 'application/json'))]);
  for (const [name, guard, value] of cases) throwsCode(t, () => guard(value), 'PAYLOAD_INVALID', name);
});

t.test('gate table: 17 names, numbered 1..17', async (t) => {
  t.equal(GATE_NAME_LIST.length, 17);
  t.same(Object.keys(GATE_NAMES).map(Number), Array.from({ length: 17 }, (_, i) => i + 1));
  t.equal(GATE_NAMES[9], 'Jurisdiction Tagging');
  t.equal(GATE_NAMES[17], 'Platform Non-Repudiation');
});

t.test('generated files: in sync, draft 2020-12, patterns valid as unicode regexps', async (t) => {
  t.same(diffSchemas(), [], 'spec/schemas matches the registry (run npm run spec:gen)');
  for (const s of SCHEMAS) {
    const file = `${kebab(s.name)}.v1.json`;
    const doc = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as Record<string, unknown>;
    t.equal(doc.$schema, 'https://json-schema.org/draft/2020-12/schema', file);
    t.equal(doc.$id, `https://nexus-cos.dev/schemas/${file}`, file);
    t.equal(doc['x-media-type'], s.mediaType, file);
    // Other validators (ajv and friends) compile 2020-12 patterns with the `u` flag.
    const bad = patternsOf(doc).filter((p) => {
      try {
        new RegExp(p, 'u');
        return false;
      } catch {
        return true;
      }
    });
    t.same(bad, [], `${file}: every pattern compiles with the u flag`);
  }
});
