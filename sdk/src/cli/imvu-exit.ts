#!/usr/bin/env node
import { runExit } from './exit-command.js';

// The owner's one command to leave: sign, stream, verify offline, then name the file.
process.exitCode = await runExit(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  tty: process.stderr.isTTY === true,
  columns: process.stderr.columns ?? 80,
});
