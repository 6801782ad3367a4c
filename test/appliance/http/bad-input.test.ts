import t from 'tap';
import { ERROR_CODES, canonicalBytes, fromBase64Url, fromUtf8, toBase64Url } from '@nexus-cos/sdk';
import { HTTP_STATUS } from '../../../appliance/src/http/errors.js';
import { createImvu, entries, key, register, send, stack, type SendOptions } from './harness.js';

// At least 1000 generated bad requests, from a seeded generator so a failure reproduces.
// Each must get a 4xx with a documented code whose status is the table's; never a 5xx;
// and the ledger may grow only by logged gate decisions.
const N = 1200;
const SEED = 0x5eed_2026;

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
interface Bad {
  readonly kind: string;
  readonly signer: ReturnType<typeof key> | null;
  readonly method: Method;
  readonly path: string;
  readonly body?: unknown;
  readonly opts?: SendOptions;
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

t.test(`${N} generated bad requests: 4xx with a documented code, and no effect`, async (t) => {
  const s = await stack();
  t.teardown(() => s.close());
  const alice = key(1);
  const stranger = key(2);
  await register(s.app, alice);
  await register(s.app, stranger);
  const id = await createImvu(s.app, alice);
  const r = rng(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const int = (n: number): number => Math.floor(r() * n);
  const randomDid = (): string => `did:key:z6Mk${Array.from({ length: 44 }, () => pick([...B58])).join('')}`;
  const junk = (): unknown => pick([1, -1, 1.5, null, true, [], {}, 'x', '', 'DE'.repeat(600), [1, 2], { a: 1 }]);

  // Valid mutating requests by alice on her IMVU: the shapes the generator breaks.
  const mutations: { method: Method; path: string; body?: Record<string, unknown> }[] = [
    { method: 'POST', path: '/v1/identities', body: { jurisdiction: 'DE', consents: ['identity.attributes'] } },
    { method: 'POST', path: '/v1/identities/revoke', body: { reason: 'key leaked' } },
    { method: 'POST', path: '/v1/identities/recovery', body: { recoveryKey: key(7).publicKey.id } },
    { method: 'POST', path: '/v1/imvus', body: { jurisdiction: 'DE', consents: ['identity.attributes'] } },
    { method: 'PATCH', path: `/v1/imvus/${id}`, body: { jurisdiction: 'DE' } },
    { method: 'POST', path: `/v1/imvus/${id}/suspend`, body: { reason: 'abuse report #1' } },
    { method: 'POST', path: `/v1/imvus/${id}/quota`, body: { quotas: { vcpus: 1, memoryMiB: 1, diskGiB: 1, vms: 1 }, reason: 'abuse report #1' } },
    { method: 'POST', path: `/v1/imvus/${id}/consents`, body: { purpose: 'mail.processing' } },
    { method: 'DELETE', path: `/v1/imvus/${id}/consents/identity.attributes` },
  ];
  const withBody = mutations.filter((m) => m.body !== undefined);
  const reads = ['/v1/imvus', `/v1/imvus/${id}`, `/v1/imvus/${id}/ledger`, `/v1/identities/${alice.publicKey.id}`];

  // Originals of replays: reads that succeed, and mutations a gate refuses anyway.
  const replays: { method: Method; path: string; body?: unknown; authorization: string }[] = [];
  for (let i = 0; i < 20; i++) {
    const path = pick(reads);
    const ok = await send(s.app, alice, 'GET', path);
    t.equal(ok.statusCode, 200, `replay original ${path}`);
    replays.push({ method: 'GET', path, authorization: ok.authorization ?? '' });
    const body = { purpose: 'mail.processing' };
    const denied = await send(s.app, stranger, 'POST', `/v1/imvus/${id}/consents`, body);
    t.equal(denied.statusCode, 403);
    replays.push({ method: 'POST', path: `/v1/imvus/${id}/consents`, body, authorization: denied.authorization ?? '' });
  }
  const baseline = s.ledger.tree.size;
  const startedAt = Date.now();

  const generators: (() => Bad | Promise<Bad>)[] = [
    () => { // malformed JSON: truncated, trailing garbage, single quotes, invalid UTF-8, random bytes
      const m = pick(withBody);
      const text = fromUtf8(canonicalBytes(m.body));
      const raw = pick([
        text.slice(0, 1 + int(text.length - 1)), `${text}}`, text.replace(/"/g, "'"), '{', '', 'null x', `${text}\u0000garbage`,
        Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), Buffer.from(Array.from({ length: 1 + int(64) }, () => int(256))),
      ]);
      return { kind: 'malformed-json', signer: alice, method: m.method, path: m.path, opts: { raw } };
    },
    () => { // wrong types, missing members, unknown members
      const m = pick(withBody);
      const body: Record<string, unknown> = { ...m.body };
      const keys = Object.keys(body);
      const k = pick(keys);
      const how = int(3);
      if (how === 0) body[k] = junk() === body[k] ? 42 : junk();
      else if (how === 1) body[`x${int(1000)}`] = junk();
      else if (k !== 'reason') delete body[k];
      else body[k] = 42;
      // A junk value can coincide with a valid one ('DE' for a jurisdiction): force a type error then.
      if (JSON.stringify(body) === JSON.stringify(m.body)) body[k] = 42;
      // JSON.stringify, not canonical JSON: a float is a wrong type the server must see.
      return { kind: 'wrong-type', signer: alice, method: m.method, path: m.path, opts: { raw: JSON.stringify(body) } };
    },
    () => { // oversized body
      const m = pick(withBody);
      return { kind: 'oversized', signer: alice, method: m.method, path: m.path, body: { ...m.body, pad: 'x'.repeat(1024 * 1024 + int(4096)) } };
    },
    () => { // unsupported content types
      const m = pick(withBody);
      return { kind: 'media-type', signer: alice, method: m.method, path: m.path, body: m.body, opts: { contentType: pick(['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x']) } };
    },
    () => { // missing, garbled or foreign Authorization
      const m = pick(mutations);
      const authorization = pick([null, '', 'Nexus', 'Nexus ', 'Bearer abc', `Nexus ${'A'.repeat(1 + int(200))}`, `Nexus ${toBase64Url(new Uint8Array(Array.from({ length: 64 }, () => int(256))))}`, `Nexus ${'x'.repeat(17_000)}`, 'Nexus e30', 'Nexus %%%']);
      return { kind: 'garbled-signature', signer: null, method: m.method, path: m.path, ...(m.body === undefined ? {} : { body: m.body }), opts: { authorization } };
    },
    async () => { // a real signature, then one character flipped or the token cut short
      const m = pick(mutations);
      const ok = await import('@nexus-cos/sdk').then(({ signRequest }) => signRequest(alice, { method: m.method, path: m.path, body: m.body === undefined ? new Uint8Array(0) : canonicalBytes(m.body) }));
      const token = ok.slice('Nexus '.length);
      const i = int(token.length);
      const flipped = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      const authorization = `Nexus ${pick([flipped, token.slice(0, int(token.length))])}`;
      return { kind: 'tampered-signature', signer: null, method: m.method, path: m.path, ...(m.body === undefined ? {} : { body: m.body }), opts: { authorization } };
    },
    async () => { // signed by one key, claiming another
      const m = pick(mutations);
      const { signRequest } = await import('@nexus-cos/sdk');
      const ok = await signRequest(stranger, { method: m.method, path: m.path, body: m.body === undefined ? new Uint8Array(0) : canonicalBytes(m.body) });
      const env = JSON.parse(fromUtf8(fromBase64Url(ok.slice('Nexus '.length)))) as { signatures: { keyid: string }[] };
      env.signatures[0] = { ...env.signatures[0], keyid: pick([alice.publicKey.id, randomDid()]) } as { keyid: string };
      return { kind: 'wrong-key', signer: null, method: m.method, path: m.path, ...(m.body === undefined ? {} : { body: m.body }), opts: { authorization: `Nexus ${toBase64Url(canonicalBytes(env))}` } };
    },
    () => { // signed for another method, path or body
      const m = pick(withBody);
      const opts: SendOptions = pick([
        { signMethod: m.method === 'POST' ? 'PATCH' : 'POST' },
        { signPath: `${m.path}/x` },
        { signPath: m.path.includes(id) ? m.path.replace(id, 'IMVU-002') : `${m.path}?x=1` },
        { signBody: canonicalBytes({ ...m.body, extra: 1 }) },
        { signBody: new Uint8Array(0) },
      ] as SendOptions[]);
      return { kind: 'wrong-binding', signer: alice, method: m.method, path: m.path, body: m.body, opts };
    },
    () => { // stale, future, too long-lived, or older than the server
      const m: { method: Method; path: string; body?: unknown } = pick([...mutations, ...reads.map((path) => ({ method: 'GET' as const, path }))]);
      const now = Date.now();
      const opts: SendOptions = pick([
        { now: now - 600_000, ttlMs: 60_000 },
        { now: now - 61_000, ttlMs: 60_000 },
        { now: now + 120_000, ttlMs: 60_000 },
        { now: now - 1000, ttlMs: 3_600_000 },
        { now: startedAt - 120_000, ttlMs: 240_000 },
      ]);
      return { kind: 'stale', signer: alice, method: m.method, path: m.path, ...(m.body === undefined ? {} : { body: m.body }), opts };
    },
    () => { // replayed
      const o = pick(replays);
      return { kind: 'replayed', signer: null, method: o.method, path: o.path, ...(o.body === undefined ? {} : { body: o.body }), opts: { authorization: o.authorization } };
    },
    () => { // unknown IMVUs
      const other = `IMVU-${String(100 + int(900))}`;
      const m: { method: Method; path: string; body?: unknown } = pick([...mutations.filter((x) => x.path.includes(id)), ...reads.filter((p) => p.includes(id)).map((path) => ({ method: 'GET' as const, path }))]);
      return { kind: 'unknown-imvu', signer: alice, method: m.method, path: m.path.replace(id, other), ...(m.body === undefined ? {} : { body: m.body }) };
    },
    () => { // bad did:keys, ids and indexes in paths and bodies
      const did = pick([randomDid(), 'did:key:z6Mk', 'did:web:example.org', `${alice.publicKey.id}x`, alice.publicKey.id.replace('z6Mk', 'z6Mm')]);
      return pick<Bad>([
        { kind: 'bad-did', signer: alice, method: 'GET', path: `/v1/identities/${encodeURIComponent(did)}` },
        { kind: 'bad-did', signer: alice, method: 'POST', path: '/v1/identities/recovery', body: { recoveryKey: did } },
        { kind: 'bad-did', signer: key(40 + int(10)), method: 'POST', path: '/v1/identities', body: { jurisdiction: 'DE', consents: ['identity.attributes'], recoveryKeys: [did] } },
        { kind: 'bad-id', signer: alice, method: 'GET', path: pick(['/v1/imvus/imvu-001', '/v1/imvus/IMVU-1', '/v1/imvus/IMVU-00x1', '/v1/imvus/%00']) },
        { kind: 'bad-index', signer: null, method: 'GET', path: pick(['/v1/proofs/inclusion/-1', '/v1/proofs/inclusion/1e3', '/v1/proofs/inclusion/99999999', '/v1/proofs/consistency?old=a&new=1', '/v1/proofs/consistency?old=1', '/v1/proofs/consistency?old=1&new=2&x=3']) },
      ]);
    },
    () => { // no such route or method
      return pick<Bad>([
        { kind: 'no-route', signer: alice, method: 'POST', path: `/v1/imvus/${id}/teleport`, body: {} },
        { kind: 'no-route', signer: alice, method: 'PATCH', path: '/v1/identities', body: {} },
        { kind: 'no-route', signer: null, method: 'GET', path: `/v2/imvus/${int(1000)}` },
        { kind: 'no-route', signer: alice, method: 'DELETE', path: `/v1/imvus/${id}` },
      ]);
    },
  ];

  const kinds = new Map<string, number>();
  const outcomes = new Set<string>();
  let fiveHundreds = 0;
  for (let i = 0; i < N; i++) {
    const bad = await (generators[i % generators.length] as () => Bad | Promise<Bad>)();
    const res = await send(s.app, bad.signer, bad.method, bad.path, bad.body, bad.opts ?? {});
    const body = (() => {
      try {
        return res.json() as { code?: string };
      } catch {
        return {};
      }
    })();
    kinds.set(bad.kind, (kinds.get(bad.kind) ?? 0) + 1);
    const code = body.code ?? '';
    outcomes.add(`${bad.kind}→${res.statusCode} ${code}`);
    const documented = (ERROR_CODES as readonly string[]).includes(code);
    if (res.statusCode >= 500) fiveHundreds++;
    if (res.statusCode < 400 || res.statusCode >= 500 || !documented || HTTP_STATUS[code as keyof typeof HTTP_STATUS] !== res.statusCode) {
      t.fail(`#${i} ${bad.kind} ${bad.method} ${bad.path.slice(0, 80)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
  }
  t.equal(fiveHundreds, 0, 'never a 5xx');
  t.same([...kinds.values()].reduce((a, b) => a + b, 0), N, `${N} bad requests sent`);
  t.comment(`by kind: ${JSON.stringify(Object.fromEntries(kinds))}`);
  t.comment(`outcomes: ${[...outcomes].sort().join(', ')}`);

  await s.ledger.flush();
  const added = entries(s.ledger).slice(baseline);
  t.same([...new Set(added.map((e) => e.kind))].filter((k) => k !== 'gate_decision'), [], 'only gate decisions were written');
  t.ok(added.every((e) => e.kind === 'gate_decision' && e.decision === 'deny'), 'and every one is a denial');
  t.comment(`${added.length} logged gate denials`);

  const after = await send(s.app, alice, 'GET', `/v1/imvus/${id}`);
  t.equal(after.statusCode, 200, 'the server still answers');
  t.same((after.json() as { consents: { purpose: string }[] }).consents.map((c) => c.purpose), ['identity.attributes'], 'and nothing changed');
});
