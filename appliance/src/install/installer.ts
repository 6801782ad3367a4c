import { NexusError } from '@nexus-cos/sdk';
import type { CommandRunner } from '../ports/command-runner.js';
import { validateDiskPath } from './disk-name.js';
import { judgeDisk, parseLsblk, parseWipefs, type DiskProbe } from './disk-probe.js';

/** Where the ISO installs the script that partitions, copies and installs the bootloaders. */
export const INSTALL_SCRIPT = '/usr/lib/nexus-cos/install-disk';

/** What `nexus-cos install` was asked. */
export interface InstallRequest {
  readonly disk: string;
  readonly force: boolean;
}

/** What the installer runs and reports through. */
export interface InstallDeps {
  readonly runner: CommandRunner;
  /** The script to run (INSTALL_SCRIPT on the ISO). */
  readonly script: string;
  /** Each line of the script's progress. */
  readonly progress: (line: string) => void;
}

/** Probes a disk with lsblk and wipefs (read-only: `wipefs --no-act`). */
export async function probeDisk(runner: CommandRunner, disk: string): Promise<DiskProbe> {
  const lsblk = await runner.run(['lsblk', '--json', '--paths', '--output', 'NAME,TYPE,FSTYPE,PTTYPE,MOUNTPOINTS,RO', disk]);
  const wipefs = await runner.run(['wipefs', '--no-act', '--json', disk]);
  return { device: parseLsblk(lsblk.stdout, disk), signatures: parseWipefs(wipefs.stdout) };
}

/**
 * Installs the live system to `disk`: validates the name, refuses a disk that holds data
 * (unless forced) or is in use (always), then runs the install script and streams its
 * progress. The script itself erases the disk, so nothing runs before both checks pass.
 */
export async function installToDisk(req: InstallRequest, deps: InstallDeps): Promise<void> {
  const disk = validateDiskPath(req.disk);
  judgeDisk(await probeDisk(deps.runner, disk), req.force);
  const child = deps.runner.spawn([deps.script, disk], { onLine: (line) => deps.progress(line) });
  const exit = await child.exited;
  if (exit.code !== 0) {
    throw new NexusError('COMMAND_FAILED', `${deps.script} ${disk}: ${exit.signal === null ? `exit ${exit.code}` : `killed by ${exit.signal}`}; the disk may be partly written and needs a new install`, { field: `/${deps.script}` });
  }
}
