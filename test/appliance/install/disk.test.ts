import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecaRunner } from '../../../appliance/src/adapters/process/execa-runner.js';
import { validateDiskPath } from '../../../appliance/src/install/disk-name.js';
import { dataOnDisk, judgeDisk, parseLsblk, parseWipefs, type BlockDevice } from '../../../appliance/src/install/disk-probe.js';
import { throwsCode } from '../../helpers/codes.js';

t.test('disk names: whole disks only, by a closed grammar', async (t) => {
  for (const ok of ['/dev/sda', '/dev/sdab', '/dev/vda', '/dev/xvdb', '/dev/nvme0n1', '/dev/nvme10n2', '/dev/mmcblk0']) t.equal(validateDiskPath(ok), ok, `${ok} accepted`);
  for (const bad of ['', 'sda', '/dev/sda1', '/dev/nvme0n1p1', '/dev/mmcblk0p1', '/dev/sr0', '/dev/loop0', '/dev/../dev/sda', '/dev/sda ', '/dev/sda;reboot', '/dev/disk/by-id/ata-x', '/dev/SDA', '/dev/sdabc', '/tmp/disk.img', '-f']) {
    throwsCode(t, () => validateDiskPath(bad), 'DISK_INVALID', `${JSON.stringify(bad)} refused`);
  }
});

const blank: BlockDevice = { name: '/dev/vda', type: 'disk', fstype: null, pttype: null, mountpoints: [null], ro: false };

t.test('refusal: a blank disk is taken; data needs --force; in use or read-only never', async (t) => {
  t.doesNotThrow(() => judgeDisk({ device: blank, signatures: [] }, false), 'a blank disk needs no --force');
  t.same(dataOnDisk({ device: blank, signatures: [] }), [], 'a blank disk holds nothing');

  const partitioned: BlockDevice = { ...blank, pttype: 'gpt', children: [{ name: '/dev/vda1', type: 'part', fstype: 'ext4', mountpoints: [null] }] };
  const probe = { device: partitioned, signatures: ['PMBR', 'gpt'] };
  throwsCode(t, () => judgeDisk(probe, false), 'DISK_NOT_EMPTY', 'a partitioned disk is refused without --force');
  t.doesNotThrow(() => judgeDisk(probe, true), '--force erases it');
  t.same(dataOnDisk(probe), ['signature PMBR', 'signature gpt', 'gpt partition table', 'partition /dev/vda1', 'ext4 filesystem on /dev/vda1'], 'every reason is named');

  throwsCode(t, () => judgeDisk({ device: blank, signatures: ['ext4'] }, false), 'DISK_NOT_EMPTY', 'a filesystem on the whole disk (seen by wipefs only) is data');
  throwsCode(t, () => judgeDisk({ device: { ...blank, fstype: 'iso9660' }, signatures: [] }, false), 'DISK_NOT_EMPTY', 'a filesystem lsblk sees is data');

  const mounted: BlockDevice = { ...partitioned, children: [{ name: '/dev/vda1', type: 'part', fstype: 'ext4', mountpoints: ['/'] }] };
  throwsCode(t, () => judgeDisk({ device: mounted, signatures: [] }, true), 'DISK_IN_USE', 'a disk with a mounted partition is refused even with --force');
  throwsCode(t, () => judgeDisk({ device: { ...blank, mountpoints: ['/run/live/medium'] }, signatures: [] }, true), 'DISK_IN_USE', 'the live medium is refused even with --force');
  throwsCode(t, () => judgeDisk({ device: { ...blank, ro: true }, signatures: [] }, true), 'DISK_IN_USE', 'a read-only disk is refused');
  throwsCode(t, () => judgeDisk({ device: { ...blank, ro: '1' }, signatures: [] }, true), 'DISK_IN_USE', 'older lsblk writes RO as "1"');
  throwsCode(t, () => judgeDisk({ device: { ...blank, name: '/dev/sr0', type: 'rom' }, signatures: [] }, true), 'DISK_INVALID', 'a CD drive is not a disk');
});

t.test('lsblk and wipefs output is parsed; the real wipefs sees a filesystem in an image', async (t) => {
  const dev = parseLsblk('{"blockdevices":[{"name":"/dev/vda","type":"disk","fstype":null,"pttype":"gpt","mountpoints":[null],"ro":false,"children":[{"name":"/dev/vda1","type":"part","fstype":"vfat","pttype":"gpt","mountpoints":[null],"ro":false}]}]}', '/dev/vda');
  t.equal(dev.children?.[0]?.fstype, 'vfat');
  throwsCode(t, () => parseLsblk('{"blockdevices":[]}', '/dev/vda'), 'PAYLOAD_INVALID', 'no device reported');
  t.same(parseWipefs(''), [], 'no output: no signatures');

  // The same command the installer runs, on image files instead of a disk.
  const dir = mkdtempSync(join(tmpdir(), 'nx-disk-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const runner = new ExecaRunner();
  const img = join(dir, 'disk.img');
  await runner.run(['truncate', '-s', '8M', img]);
  t.same(parseWipefs((await runner.run(['wipefs', '--no-act', '--json', img])).stdout), [], 'a zeroed image has no signatures');
  await runner.run(['mkfs.ext4', '-q', '-F', img]);
  const sigs = parseWipefs((await runner.run(['wipefs', '--no-act', '--json', img])).stdout);
  t.same(sigs, ['ext4'], 'wipefs finds the ext4 superblock');
  throwsCode(t, () => judgeDisk({ device: blank, signatures: sigs }, false), 'DISK_NOT_EMPTY', 'and that refuses the disk');
});
