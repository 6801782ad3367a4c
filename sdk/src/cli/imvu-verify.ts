#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { runImvuVerify } from './verify-command.js';

// The only I/O of the verifier: reading the files named on the command line.
process.exitCode = runImvuVerify(process.argv.slice(2), {
  readFile: (path) => new Uint8Array(readFileSync(path)),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
