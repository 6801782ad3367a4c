// Freezing a Maildir message that a mail client moves or deletes between listing and copying.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { freeze } from '../../../appliance/src/exit/freeze-message.js';
import { Snapshot } from '../../../appliance/src/exit/snapshot.js';

t.test('a message flagged after listing is found under its new name; a deleted one is skipped', async (t) => {
  const box = mkdtempSync(join(tmpdir(), 'nx-freeze-'));
  t.teardown(() => rmSync(box, { recursive: true, force: true }));
  for (const s of ['new', 'cur', 'tmp']) mkdirSync(join(box, s));
  const name = '1764000000000.Rabc.host';
  writeFileSync(join(box, 'new', name), 'Subject: hi\r\n\r\nbody\r\n');
  writeFileSync(join(box, 'new', 'gone'), 'x');
  const snap = await Snapshot.create(box);
  t.teardown(() => snap.dispose());
  renameSync(join(box, 'new', name), join(box, 'cur', `${name}:2,S`));
  rmSync(join(box, 'new', 'gone'));
  const got = await freeze(snap, box, 'new', name);
  t.equal(got?.bytes.toString(), 'Subject: hi\r\n\r\nbody\r\n', 'copied from cur/ under its flagged name');
  t.equal(got?.frozen.size, 21);
  t.equal(await freeze(snap, box, 'new', 'gone'), undefined, 'deleted since listing: left out');
  writeFileSync(join(box, 'cur', 'plain'), 'y');
  t.equal((await freeze(snap, box, 'cur', 'plain'))?.bytes.toString(), 'y', 'an unmoved message is copied as is');
});
