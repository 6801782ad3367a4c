#!/usr/bin/env node
import { runCli } from './commands.js';

// The process edge: real streams, the real environment, real signals. A second signal
// during shutdown exits at once, for an operator who does not want to wait.
let signals = 0;
const untilSignal = (): Promise<string> => new Promise((resolve) => {
  const on = (sig: string): void => {
    if (++signals > 1) process.exit(1);
    resolve(sig);
  };
  process.on('SIGTERM', on);
  process.on('SIGINT', on);
});

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  untilSignal,
});
// Exit explicitly: a serve that has closed everything must not linger on a stray handle.
process.exit(code);
