import { NexusError } from '@nexus-cos/sdk';

/**
 * The whole-disk device names the installer accepts: SCSI/SATA/USB (`sda`), virtio (`vda`),
 * Xen (`xvda`), NVMe namespaces (`nvme0n1`) and SD/eMMC cards (`mmcblk0`). Nothing else:
 * no partitions, no symlinks under /dev/disk, no `..`. The name reaches `sfdisk` and
 * `grub-install`, which erase what it names, so the grammar is closed and short.
 */
export const DISK_PATH = /^\/dev\/(?:(?:sd|vd|xvd)[a-z]{1,2}|nvme[0-9]{1,2}n[0-9]{1,2}|mmcblk[0-9]{1,2})$/;

/** Returns `path` when it names a whole disk the installer may write; DISK_INVALID otherwise. */
export function validateDiskPath(path: string): string {
  if (!DISK_PATH.test(path)) {
    throw new NexusError('DISK_INVALID', `${JSON.stringify(path)} is not a whole-disk device name (e.g. /dev/sda, /dev/vda, /dev/nvme0n1, /dev/mmcblk0)`, { field: '--disk' });
  }
  return path;
}
