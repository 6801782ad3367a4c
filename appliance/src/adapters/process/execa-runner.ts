import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { execa } from 'execa';
import { NexusError } from '@nexus-cos/sdk';
import type { ChildExit, ChildProcessHandle, CommandResult, CommandRunner, RunOptions, SpawnOptions } from '../../ports/command-runner.js';

const firstLine = (s: string): string => s.trim().split('\n', 1)[0]?.slice(0, 300) ?? '';

/** The CommandRunner port over execa: argv arrays only (`shell: false`), coded failures. */
export class ExecaRunner implements CommandRunner {
  async run([file, ...args]: readonly [string, ...string[]], opts: RunOptions = {}): Promise<CommandResult> {
    const r = await execa(file, args, {
      shell: false,
      reject: false,
      stdin: opts.input === undefined ? 'ignore' : 'pipe',
      ...(opts.input === undefined ? {} : { input: opts.input }),
      ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
      ...(opts.env === undefined ? {} : { env: opts.env }),
      timeout: opts.timeoutMs ?? 30_000,
      stripFinalNewline: false,
    });
    if (r.failed) {
      // knotc prints its errors on stdout, so both streams are searched for the reason.
      const why = firstLine(r.stderr) || firstLine(r.stdout) || r.shortMessage;
      const how = r.timedOut ? 'timed out' : r.signal !== undefined ? `killed by ${r.signal}` : r.exitCode === undefined ? 'could not start' : `exit ${r.exitCode}`;
      throw new NexusError('COMMAND_FAILED', `${file} ${args[0] ?? ''}: ${how}: ${why}`, { field: `/${file}` });
    }
    return { stdout: r.stdout, stderr: r.stderr };
  }

  spawn([file, ...args]: readonly [string, ...string[]], opts: SpawnOptions = {}): ChildProcessHandle {
    const child = execa(file, args, {
      shell: false,
      reject: false,
      stdin: 'ignore',
      buffer: false,
      ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
      ...(opts.env === undefined ? {} : { env: opts.env }),
      // The supervisor decides when a child stops; execa must not kill it on our exit.
      cleanup: false,
      forceKillAfterDelay: false,
    });
    if (child.pid === undefined) {
      // Not even started (ENOENT, EACCES): say so now rather than report a process that never was.
      void child.catch(() => undefined);
      throw new NexusError('COMMAND_FAILED', `${file}: could not start`, { field: `/${file}` });
    }
    const onLine = opts.onLine;
    if (onLine !== undefined) {
      for (const stream of ['stdout', 'stderr'] as const) {
        let rest = '';
        child[stream]?.setEncoding('utf8');
        child[stream]?.on('data', (chunk: string) => {
          const lines = (rest + chunk).split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) if (line.length > 0) onLine(line, stream);
        });
      }
    }
    const exited = new Promise<ChildExit>((resolve) => {
      child.on('exit', (code, signal) => resolve({ code, signal }));
      // A spawn failure (ENOENT) emits 'error' and no 'exit'.
      child.on('error', () => resolve({ code: child.exitCode ?? 127, signal: null }));
    });
    void child.catch(() => undefined);
    return {
      pid: child.pid,
      exited,
      kill: (signal) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
    };
  }

  which(program: string): string | undefined {
    const candidates = isAbsolute(program) ? [program] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, program));
    // sbin is not always on a non-login PATH; knotd lives there.
    if (!isAbsolute(program)) candidates.push(`/usr/sbin/${program}`, `/sbin/${program}`, `/usr/local/sbin/${program}`);
    return candidates.find((p) => {
      try {
        accessSync(p, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  }
}
