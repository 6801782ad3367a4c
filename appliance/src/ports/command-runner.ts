/** What a finished command produced. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** How a long-running child ended: an exit code, or the signal that killed it. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: string | null;
}

/** A long-running child process. */
export interface ChildProcessHandle {
  readonly pid: number;
  /** Settles once, when the process has exited (never rejects). */
  readonly exited: Promise<ChildExit>;
  /** Sends a signal; a no-op once the process is gone. */
  kill(signal: NodeJS.Signals): void;
}

/** Options for one command. */
export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Kill the command after this many ms (default 30 000). */
  readonly timeoutMs?: number;
  readonly input?: string;
}

/** Options for one long-running child. */
export interface SpawnOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Each line the child writes to stdout or stderr. */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/**
 * Runs external programs. Commands are argv arrays, never shell strings, so nothing a
 * caller passes is interpreted by a shell. `run` raises COMMAND_FAILED (with the exit code
 * and first line of output) instead of returning a status to forget to check.
 */
export interface CommandRunner {
  run(argv: readonly [string, ...string[]], opts?: RunOptions): Promise<CommandResult>;
  spawn(argv: readonly [string, ...string[]], opts?: SpawnOptions): ChildProcessHandle;
  /** The absolute path of `program` on PATH, or undefined when it is not installed. */
  which(program: string): string | undefined;
}
