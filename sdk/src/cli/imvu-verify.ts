#!/usr/bin/env node
import { openSync, readFileSync } from 'node:fs';
import { fileChunks } from '../files/file-chunks.js';
import { runBundleVerify } from './verify-bundle-command.js';
import { runImvuVerify } from './verify-command.js';

// The only I/O of the verifier: reading the files named on the command line.
const io = {
  readFile: (path: string) => new Uint8Array(readFileSync(path)),
  // Opened here, synchronously, so a missing file is a usage error rather than a bad archive.
  stream: (path: string) => fileChunks(openSync(path, 'r')),
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
};
const argv = process.argv.slice(2);
// An exit bundle is streamed (it may hold disks of many GiB), so it has its own async path.
if (argv[0] === 'bundle') process.exitCode = await runBundleVerify(argv.slice(1), io);
else process.exitCode = runImvuVerify(argv, io);
