import t from 'tap';
import { join } from 'node:path';
import { SqliteRegistry } from '../../../appliance/src/registry/sqlite-registry.js';
import type { ImvuRecord } from '../../../appliance/src/ports/registry.js';
import { rejectsCode } from '../../helpers/codes.js';
import { tempDir } from '../../helpers/tmp.js';

const path = (): string => join(tempDir('nexus-registry-'), 'registry.sqlite');
const OWNER = 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp';
const imvu = (id: string): ImvuRecord => ({ id, owner: OWNER, jurisdiction: 'DE', status: 'active', quotas: { vcpus: 1, memoryMiB: 1, diskGiB: 1, vms: 1 }, storagePool: 'pool-de', createdAt: '2026-11-26T00:00:00.000Z' });

t.test('a change commits only after its durable step, and rolls back when that fails', async (t) => {
  const r = new SqliteRegistry(path());
  t.teardown(() => r.close());
  t.equal(r.nextImvuId(), 'IMVU-001');
  let seenDuring: ImvuRecord | undefined = imvu('X');
  await r.change((w) => w.insertImvu(imvu('IMVU-001')), async () => {
    // Readers see committed state only, even while the change waits on the ledger.
    seenDuring = r.imvu('IMVU-001');
  });
  t.equal(seenDuring, undefined, 'not visible before commit');
  t.equal(r.imvu('IMVU-001')?.owner, OWNER, 'visible after');
  t.equal(r.nextImvuId(), 'IMVU-002');

  await t.rejects(r.change((w) => {
    w.insertImvu(imvu('IMVU-002'));
    w.grantConsent({ imvu: 'IMVU-002', purpose: 'mail.processing', grantedBy: OWNER, grantedAt: '2026-11-26T00:00:00.000Z' });
  }, async () => {
    throw new Error('ledger append failed');
  }), /ledger append failed/);
  t.equal(r.imvu('IMVU-002'), undefined, 'rolled back: no IMVU');
  t.same(r.consents('IMVU-002'), [], 'and no consent');
  t.equal(r.nextImvuId(), 'IMVU-002', 'the id is not burned');

  await t.rejects(r.change((w) => w.insertImvu(imvu('IMVU-001')), async () => undefined), 'a failing write rolls back too');
  await r.change((w) => w.insertImvu(imvu('IMVU-002')), async () => undefined);
  t.same(r.imvus().map((i) => i.id), ['IMVU-001', 'IMVU-002'], 'the registry still works');
});

t.test('consents keep their history; one active consent per purpose', async (t) => {
  const r = new SqliteRegistry(path());
  t.teardown(() => r.close());
  const at = '2026-11-26T00:00:00.000Z';
  await r.change((w) => {
    w.insertImvu(imvu('IMVU-001'));
    w.grantConsent({ imvu: 'IMVU-001', purpose: 'p', grantedBy: OWNER, grantedAt: at });
  }, async () => undefined);
  await t.rejects(r.change((w) => w.grantConsent({ imvu: 'IMVU-001', purpose: 'p', grantedBy: OWNER, grantedAt: at }), async () => undefined));
  await r.change((w) => w.withdrawConsent('IMVU-001', 'p', at), async () => undefined);
  await rejectsCode(t, () => r.change((w) => w.withdrawConsent('IMVU-001', 'p', at), async () => undefined), 'NOT_FOUND');
  await r.change((w) => w.grantConsent({ imvu: 'IMVU-001', purpose: 'p', grantedBy: OWNER, grantedAt: at }), async () => undefined);
  t.same(r.consents('IMVU-001').map((c) => c.withdrawnAt === undefined), [false, true], 'withdrawn, then granted again');
});

t.test('state survives a reopen', async (t) => {
  const p = path();
  const a = new SqliteRegistry(p);
  await a.change((w) => {
    w.insertIdentity({ did: OWNER, status: 'active', recoveryKeys: [], jurisdiction: 'DE', createdAt: '2026-11-26T00:00:00.000Z' });
    w.insertImvu(imvu('IMVU-001'));
  }, async () => undefined);
  a.close();
  const b = new SqliteRegistry(p);
  t.teardown(() => b.close());
  t.equal(b.identity(OWNER)?.status, 'active');
  t.equal(b.nextImvuId(), 'IMVU-002');
});
