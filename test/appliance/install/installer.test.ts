import t from 'tap';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecaRunner } from '../../../appliance/src/adapters/process/execa-runner.js';
import { installToDisk } from '../../../appliance/src/install/installer.js';
import type { CommandResult, CommandRunner } from '../../../appliance/src/ports/command-runner.js';
import { rejectsCode } from '../../helpers/codes.js';

// The probe commands answer what lsblk/wipefs would for the disk described; the install
// script is a real program run by the real runner (it records its argv instead of erasing).
const real = new ExecaRunner();
function runnerFor(lsblk: object, signatures: string[]): CommandRunner & { ran: string[][] } {
  const ran: string[][] = [];
  return {
    ran,
    run(argv): Promise<CommandResult> {
      ran.push([...argv]);
      if (argv[0] === 'lsblk') return Promise.resolve({ stdout: JSON.stringify({ blockdevices: [lsblk] }), stderr: '' });
      if (argv[0] === 'wipefs') return Promise.resolve({ stdout: JSON.stringify({ signatures: signatures.map((type) => ({ type })) }), stderr: '' });
      return Promise.reject(new Error(`unexpected ${argv.join(' ')}`));
    },
    spawn: (argv, opts) => {
      ran.push([...argv]);
      return real.spawn(argv, opts);
    },
    which: (p) => real.which(p),
  };
}

const blank = { name: '/dev/vdb', type: 'disk', fstype: null, pttype: null, mountpoints: [null], ro: false };

t.test('installToDisk: checks first, then runs the script with the disk as one argv element', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nx-inst-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const record = join(dir, 'argv');
  const script = join(dir, 'install-disk');
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\necho "step one"\necho "step two"\n[ "$1" != /dev/vdc ]\n`);
  chmodSync(script, 0o755);

  const lines: string[] = [];
  const ok = runnerFor(blank, []);
  await installToDisk({ disk: '/dev/vdb', force: false }, { runner: ok, script, progress: (l) => lines.push(l) });
  t.same(ok.ran.map((a) => a[0]), ['lsblk', 'wipefs', script], 'probed, then installed');
  t.equal(readFileSync(record, 'utf8'), '/dev/vdb\n', 'the script got exactly the disk');
  t.same(lines, ['step one', 'step two'], 'its progress was streamed');

  const bad = runnerFor(blank, []);
  await rejectsCode(t, () => installToDisk({ disk: '/dev/vdb; reboot', force: true }, { runner: bad, script, progress: () => {} }), 'DISK_INVALID');
  t.same(bad.ran, [], 'a bad name runs nothing, not even the probe');

  const used = runnerFor({ ...blank, pttype: 'gpt' }, ['gpt']);
  await rejectsCode(t, () => installToDisk({ disk: '/dev/vdb', force: false }, { runner: used, script, progress: () => {} }), 'DISK_NOT_EMPTY');
  t.same(used.ran.map((a) => a[0]), ['lsblk', 'wipefs'], 'a disk with data is never handed to the script');
  const forced = runnerFor({ ...blank, pttype: 'gpt' }, ['gpt']);
  await installToDisk({ disk: '/dev/vdb', force: true }, { runner: forced, script, progress: () => {} });
  t.equal(forced.ran.length, 3, '--force lets the script run');

  const failing = runnerFor({ ...blank, name: '/dev/vdc' }, []);
  await rejectsCode(t, () => installToDisk({ disk: '/dev/vdc', force: false }, { runner: failing, script, progress: () => {} }), 'COMMAND_FAILED', 'a failing script is a coded failure');
});
