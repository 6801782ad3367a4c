import { readFileSync, rmSync } from 'node:fs';

/**
 * Removes a PID file left by a daemon that is no longer running, before the daemon starts.
 *
 * knotd refuses to start ("server PID found, already running") while its PID file names a
 * live process, whatever that process is. Its run directory lives in the data directory, so
 * after a power cut the file survives the reboot, and the PID it names is often taken by a
 * different process early in the next boot (PIDs at boot are nearly deterministic). knotd
 * then fails forever. Measured on the ISO: the second boot of an installed disk after a hard
 * power-off restarted knotd 100+ times with that message and never served DNS.
 *
 * The file is kept only when it names a live process whose command name is `name` and whose
 * command line mentions `mark` (our config database path): that is our daemon, still
 * running, and it must keep refusing a second copy. Linux only (/proc), like the appliance.
 */
export function clearStalePidFile(file: string, name: string, mark: string): 'none' | 'kept' | 'removed' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 'none';
  }
  const pid = /^\s*(\d{1,10})\s*$/.exec(text)?.[1];
  if (pid !== undefined && isOurs(pid, name, mark)) return 'kept';
  rmSync(file, { force: true });
  return 'removed';
}

function isOurs(pid: string, name: string, mark: string): boolean {
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return comm === name && cmdline.includes(mark);
  } catch {
    return false;
  }
}
