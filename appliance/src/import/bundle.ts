import {
  CHAIN_PATH, HEAD_PROOF_PATH, MANIFEST_PATH, NexusError, RECORD_PATH, fileChunks, fromBase64, fromUtf8, sha256, toHex, verifyExitBundle,
  type VerifiedBundle,
} from '@nexus-cos/sdk';
import { join } from 'node:path';
import type { ByteSource, LoadedTrustedRoot } from '@nexus-cos/sdk';
import { normalizeState, parseZoneName, stateDigest, validateRRset, type RRset, type ZoneState } from '../domain/dns/index.js';
import { isComputeMember, readCompute, type ImportedVm } from './compute.js';
import { FileSink } from '../adapters/fs/file-sink.js';
import { SEALED_KEYS, readDnssec, type ImportedDnssec } from './dnssec.js';
import { readMail, type ImportedMail } from './mail.js';
import { isNetworkMember, readNetwork, type ImportedNetwork } from './network.js';
import { parseImportedRecord, type ImportedRecord } from './record.js';

const ZONE_STATE = /^dns\/([^/]+)\/state\.json$/;
const DNSSEC_JSON = /^dns\/[^/]+\/dnssec\.json$/;
const DISK = /^compute\/[^/]+\/disk\.qcow2$/;

/** The anchor the imported chain ends at: what B's first entry for the IMVU links to. */
export interface ImportAnchor {
  /** SHA-256 hex of the anchor checkpoint's note text. */
  readonly note: string;
  readonly treeSize: string;
  readonly headSeq: string;
  readonly head: string;
  /** SHA-256 hex of manifest.json, exactly as the owner's import request names it. */
  readonly manifest: string;
}

/** An exit bundle verified and read: everything an import re-instantiates, and the evidence it keeps. */
export interface OpenedBundle {
  readonly verified: VerifiedBundle;
  readonly record: ImportedRecord;
  readonly zones: readonly ZoneState[];
  /** The mail section: domains with their DKIM record, mailboxes with their messages. */
  readonly mail: ImportedMail;
  /** The compute section: each VM's spec and standalone disk, by name. */
  readonly vms: readonly ImportedVm[];
  /** The network section: the declared policy, when the IMVU had declared one. */
  readonly network: ImportedNetwork | undefined;
  /** The DNSSEC section: zones whose keys are sealed, and each zone's published DNSKEY/DS. */
  readonly dnssec: ImportedDnssec;
  readonly anchor: ImportAnchor;
  /** The imported chain and its head proof, kept on B as evidence (ledger documents). */
  /** SHA-256 hex of every member, by path (policies are compared by digest). */
  readonly digests: ReadonlyMap<string, string>;
  readonly evidence: { readonly chain: Uint8Array; readonly headProof: Uint8Array; readonly manifest: Uint8Array };
}

/** A bundle as an import receives it: bytes in memory, or a file the HTTP route streamed the body into. */
export type BundleInput = Uint8Array | { readonly file: string };

const sourceOf = (b: BundleInput): ByteSource => (b instanceof Uint8Array ? [b] : fileChunks(b.file));

/** What an import reads beside what verification does: each held as it verified. */
const importKeeps = (p: string): boolean =>
  p === MANIFEST_PATH || p === RECORD_PATH || p === HEAD_PROOF_PATH || p === CHAIN_PATH || ZONE_STATE.test(p) || p.startsWith('mail/') || isComputeMember(p) || isNetworkMember(p) || DNSSEC_JSON.test(p);

/**
 * Verifies the bundle with the SDK's offline verifier, in one read that also holds what the
 * import needs (exactly the bytes that verified) and streams each VM disk into a new file in
 * `staging`, so a bundle of many GiB is read once and never sits in memory. Nothing is parsed
 * before the whole bundle verified; a bundle the verifier refuses leaves no staged disk (what
 * this function refuses after that, the caller's removal of `staging` clears). Every zone state
 * must still hash to what the verifier matched against the ledger, after the same
 * normalization the DNS service applies, or the import is refused.
 */
export async function openBundle(bundle: BundleInput, staging: string, trusted?: LoadedTrustedRoot): Promise<OpenedBundle> {
  // Staged disks are named by their order, never by a name from the bundle.
  let staged = 0;
  const spill = (p: string): FileSink | undefined => (DISK.test(p) ? new FileSink(join(staging, `disk-${staged++}.qcow2`)) : undefined);
  const verified = await verifyExitBundle(sourceOf(bundle), trusted, { keep: importKeeps, spill });
  const files = verified.kept ?? new Map<string, Uint8Array>();
  const disks = verified.spilled ?? new Map<string, string>();
  const need = (path: string): Uint8Array => {
    const b = files.get(path);
    if (b === undefined) throw new NexusError('BUNDLE_FILE_MISSING', 'the import needs this file', { field: path });
    return b;
  };
  const digests = memberDigests(need(MANIFEST_PATH));
  refuseUncarried(digests.keys());
  const record = parseImportedRecord(need(RECORD_PATH), verified.imvu);
  const zones: ZoneState[] = [];
  for (const [path, b] of files) {
    const zone = ZONE_STATE.exec(path)?.[1];
    if (zone !== undefined) zones.push(zoneState(path, parseZoneName(zone, path), b));
  }
  const headProof = need(HEAD_PROOF_PATH);
  const proof = JSON.parse(fromUtf8(headProof)) as { checkpoint: string; seq: string; head: string };
  const anchor: ImportAnchor = {
    note: toHex(sha256(new TextEncoder().encode(proof.checkpoint))), treeSize: verified.checkpointSize,
    headSeq: proof.seq, head: verified.head, manifest: toHex(sha256(need(MANIFEST_PATH))),
  };
  zones.sort((a, b) => a.zone.localeCompare(b.zone));
  const dnssec = readDnssec(digests.keys(), files, zones.map((z) => z.zone));
  return { verified, record, digests, mail: readMail(files), vms: readCompute(files, disks), network: readNetwork(files), zones, dnssec, anchor, evidence: { chain: need(CHAIN_PATH), headProof, manifest: need(MANIFEST_PATH) } };
}

/**
 * Every member's SHA-256 hex by path, from the manifest that verified: the files it lists
 * (each checked against the archive) and the manifest itself.
 */
function memberDigests(manifest: Uint8Array): Map<string, string> {
  const envelope = JSON.parse(fromUtf8(manifest)) as { payload: string };
  const listed = (JSON.parse(fromUtf8(fromBase64(envelope.payload))) as { files: { path: string; sha256: string }[] }).files;
  return new Map([...listed.map((f): [string, string] => [f.path, f.sha256]), [MANIFEST_PATH, toHex(sha256(manifest))]]);
}

/** Sections this version re-instantiates; anything else would be dropped, so it is refused instead. */
const CARRIED = /^(manifest\.json|trusted-root\.json|imvu\/|dns\/|ledger\/|policies\/|mail\/|secrets\/mail\/)/;

/** Refuses a bundle with a member no import step carries: all or nothing. */
function refuseUncarried(paths: Iterable<string>): void {
  for (const p of paths) {
    if (!CARRIED.test(p) && !isComputeMember(p) && !isNetworkMember(p) && !SEALED_KEYS.test(p)) throw new NexusError('IMPORT_SECTION_UNSUPPORTED', 'this appliance cannot import this section yet; nothing was imported', { field: p });
  }
}

/** A zone state file, normalized as the DNS service keeps it; it must be canonical already. */
function zoneState(path: string, zone: string, bytes: Uint8Array): ZoneState {
  let parsed: { zone?: unknown; rrsets?: unknown };
  try {
    parsed = JSON.parse(fromUtf8(bytes)) as typeof parsed;
  } catch (cause) {
    throw new NexusError('BUNDLE_STATE_MISMATCH', 'the zone state is not JSON', { field: path, cause });
  }
  if (parsed.zone !== zone || !Array.isArray(parsed.rrsets)) throw new NexusError('BUNDLE_STATE_MISMATCH', `the zone state is not of ${zone}`, { field: path });
  // The same grammar a dns.change passes: nothing reaches knotd unvalidated. A state holds
  // replacements only; a deletion marker in it is not a state.
  const rrsets = parsed.rrsets.map((x: unknown, i) => {
    const c = validateRRset(zone, x, `${path}#/rrsets/${i}`);
    if ('delete' in c) throw new NexusError('BUNDLE_STATE_MISMATCH', 'a zone state holds no deletions', { field: `${path}#/rrsets/${i}` });
    return c satisfies RRset;
  });
  const state = normalizeState(zone, rrsets);
  if (stateDigest(state) !== toHex(sha256(bytes))) throw new NexusError('BUNDLE_STATE_MISMATCH', 'the zone state is not in the canonical form the ledger recorded', { field: path });
  return state;
}
