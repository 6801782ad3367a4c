// A real tiny VM for integration tests: Debian's cloud kernel (downloaded once, cached in
// the git-ignored .cache/tiny-vm) and a busybox initramfs built here from an /init script.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExecaRunner } from '../../appliance/src/adapters/process/execa-runner.js';

const runner = new ExecaRunner();
const CACHE = fileURLToPath(new URL('../../.cache/tiny-vm/', import.meta.url));

/** Modules the NIC needs, in load order (the cloud kernel builds virtio as modules). */
const NET_MODULES = ['drivers/virtio/virtio_ring.ko', 'drivers/virtio/virtio.ko', 'drivers/virtio/virtio_pci_modern_dev.ko',
  'drivers/virtio/virtio_pci_legacy_dev.ko', 'drivers/virtio/virtio_pci.ko', 'net/core/failover.ko', 'drivers/net/net_failover.ko', 'drivers/net/virtio_net.ko'];

/** The disk's module (needs NET_MODULES' virtio core loaded first), at /modules/disk<i>.ko. */
const DISK_MODULES = ['drivers/block/virtio_blk.ko'];

/** The cached kernel tree: its vmlinuz and module directory (downloaded on first use). */
export async function cloudKernel(): Promise<{ vmlinuz: string; modules: string }> {
  mkdirSync(CACHE, { recursive: true });
  const tree = join(CACHE, 'x');
  if (!existsSync(join(tree, 'boot'))) {
    // The metapackage names the current version: linux-image-<ver>-cloud-amd64.
    const deps = (await runner.run(['apt-cache', 'depends', 'linux-image-cloud-amd64'])).stdout;
    const pkg = /Depends: (linux-image-[0-9][^\s]*-cloud-amd64)/.exec(deps)?.[1];
    if (pkg === undefined) throw new Error('apt-cache names no cloud kernel');
    await runner.run(['apt-get', 'download', pkg], { cwd: CACHE, timeoutMs: 300_000 });
    const deb = readdirSync(CACHE).find((f) => f.startsWith(pkg) && f.endsWith('.deb'));
    if (deb === undefined) throw new Error(`${pkg} did not download`);
    await runner.run(['dpkg', '-x', join(CACHE, deb), tree], { timeoutMs: 120_000 });
  }
  const boot = readdirSync(join(tree, 'boot')).find((f) => f.startsWith('vmlinuz-'));
  const version = readdirSync(join(tree, 'lib/modules'))[0];
  if (boot === undefined || version === undefined) throw new Error('kernel tree incomplete');
  return { vmlinuz: join(tree, 'boot', boot), modules: join(tree, 'lib/modules', version, 'kernel') };
}

/**
 * Builds an uncompressed newc initramfs whose /init is `init` (a busybox sh script), with
 * the NIC modules (and with `disk`, the disk's) under /modules. Written to
 * `dir/initrd.cpio`; world-readable for QEMU.
 */
export async function busyboxInitramfs(dir: string, init: string, modules?: string, disk = false): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'nexus-initrd-'));
  try {
    for (const d of ['bin', 'proc', 'sys', 'dev', 'modules']) mkdirSync(join(root, d));
    copyFileSync('/bin/busybox', join(root, 'bin/busybox'));
    chmodSync(join(root, 'bin/busybox'), 0o755);
    symlinkSync('busybox', join(root, 'bin/sh'));
    if (modules !== undefined) NET_MODULES.forEach((m, i) => copyFileSync(join(modules, m), join(root, 'modules', `${i}.ko`)));
    const disks = modules !== undefined && disk ? DISK_MODULES : [];
    disks.forEach((m, i) => copyFileSync(join(modules as string, m), join(root, 'modules', `disk${i}.ko`)));
    writeFileSync(join(root, 'init'), `#!/bin/sh\n/bin/busybox --install -s /bin\nmount -t proc proc /proc\nmount -t sysfs sys /sys\n${init}\n`, { mode: 0o755 });
    const names = ['.', 'bin', 'bin/busybox', 'bin/sh', 'proc', 'sys', 'dev', 'modules', 'init',
      ...(modules === undefined ? [] : NET_MODULES.map((_, i) => `modules/${i}.ko`)), ...disks.map((_, i) => `modules/disk${i}.ko`)];
    const out = join(dir, 'initrd.cpio');
    await runner.run(['cpio', '--quiet', '-o', '-H', 'newc', '-O', out], { cwd: root, input: `${names.join('\n')}\n` });
    chmodSync(out, 0o644);
    return out;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Shell lines for /init that load the NIC modules and bring eth0 up at `ip`/24. */
export function netUp(ip: string): string {
  return [`for m in ${NET_MODULES.map((_, i) => `/modules/${i}.ko`).join(' ')}; do insmod $m; done`,
    'ip link set lo up', 'ip link set eth0 up', `ip addr add ${ip}/24 dev eth0`].join('\n');
}

/**
 * Shell lines for /init (after `netUp`, which loads the virtio core) that load the disk's
 * module and wait for /dev/vda on a devtmpfs /dev (the kernel mounts none for an initramfs).
 */
export function diskUp(): string {
  return [`for m in ${DISK_MODULES.map((_, i) => `/modules/disk${i}.ko`).join(' ')}; do insmod $m; done`,
    'mount -t devtmpfs devtmpfs /dev', 'for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vda ] && break; sleep 1; done'].join('\n');
}

/**
 * Shell lines for /init (after `diskUp`): on a blank disk, write a fresh stamp to its first
 * sector and print NEXUS-DISK-WROTE=<stamp>; on a stamped disk, print NEXUS-DISK-READ=<stamp>.
 * A VM that boots elsewhere from an exported disk proves it is that disk by reading it back.
 */
export function stampDisk(): string {
  return ["STAMP=$(dd if=/dev/vda bs=512 count=1 2>/dev/null | tr -dc 'A-Za-z0-9-')",
    'case "$STAMP" in',
    '  NEXUS-DISK-*) echo "NEXUS-DISK-READ=$STAMP" ;;',
    "  *) S=NEXUS-DISK-$(cat /proc/sys/kernel/random/uuid); printf '%s' \"$S\" | dd of=/dev/vda bs=512 count=1 conv=sync 2>/dev/null; sync; echo \"NEXUS-DISK-WROTE=$S\" ;;",
    'esac'].join('\n');
}
