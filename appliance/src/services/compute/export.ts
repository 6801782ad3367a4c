import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { NexusError, canonicalBytes, hashFile } from '@nexus-cos/sdk';
import type { Caller } from '../api.js';
import { assertReader } from '../reads.js';
import { assertMaySee, requireImvu } from '../views.js';
import type { ComputeContext } from './deps.js';

/** One exported file: its name inside the export directory and its SHA-256. */
export interface ExportedFile {
  readonly name: string;
  readonly sha256: string;
}

/** A VM in open formats: a standalone qcow2, the portable domain XML, the declared spec. */
export interface VmExport {
  readonly dir: string;
  readonly disk: ExportedFile;
  readonly domainXml: ExportedFile;
  readonly spec: ExportedFile;
}

/**
 * Writes VM `name` of `imvu` into `dir` (a new or empty directory the caller chose) as
 * `disk.qcow2`, `domain.xml` and `spec.json`. The exit bundle carries these; the XML has
 * nothing of this host in it, so it defines the same VM elsewhere.
 */
export async function exportVm(x: ComputeContext, c: Caller, imvu: string, name: string, dir: string): Promise<VmExport> {
  const facts = x.facts();
  assertReader(c, facts);
  assertMaySee(facts, x.registry, c.actor, requireImvu(x.registry, imvu));
  const v = x.store.vm(imvu, name);
  if (v === undefined) throw new NexusError('NOT_FOUND', `no VM ${name} in ${imvu}`, { field: '/name' });
  if (!isAbsolute(dir) || normalize(dir) !== dir || dir.split('/').includes('..')) throw new NexusError('INPUT_INVALID', 'the export directory is a normalized absolute path', { field: '/dir' });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const disk = join(dir, 'disk.qcow2');
  if (existsSync(disk)) throw new NexusError('CONFLICT', 'the export directory already holds an export', { field: '/dir' });
  await x.disks.flatten(v.disk, disk);
  const xml = await x.hypervisor.portableXml(v.host);
  writeFileSync(join(dir, 'domain.xml'), xml, { mode: 0o600 });
  const spec = canonicalBytes(v.spec);
  writeFileSync(join(dir, 'spec.json'), spec, { mode: 0o600 });
  const hash = (s: string | Uint8Array): string => createHash('sha256').update(s).digest('hex');
  return {
    dir,
    disk: { name: 'disk.qcow2', sha256: (await hashFile(disk)).sha256 },
    domainXml: { name: 'domain.xml', sha256: hash(xml) },
    spec: { name: 'spec.json', sha256: hash(spec) },
  };
}
