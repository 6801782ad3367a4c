import { parseArgs } from 'node:util';
import { leafHash } from '../merkle/hash.js';
import { fail, isNexusError, type NexusError } from '../errors/index.js';
import { openCheckpoint } from '../note/checkpoint.js';
import { parseCanonicalJsonArtifact } from '../verify/artifact.js';
import { verifyEnvelope } from '../verify/envelope.js';
import { verifyConsistencyProof, verifyInclusionProof } from '../verify/proofs.js';
import { verifyHeadProof, verifyLedgerSlice } from '../verify/slice.js';
import { verifyStatementBundle } from '../verify/statement-bundle.js';
import { TrustedKeys } from '../verify/trust.js';
import { loadTrustedRoot, type LoadedTrustedRoot } from '../verify/trusted-root.js';
import { toBase64 } from '../encoding/base64.js';
import { toHex } from '../encoding/hex.js';

/** What the command may touch: reading named files and writing two streams. Nothing else. */
export interface VerifyIo {
  readFile(path: string): Uint8Array;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const USAGE = `usage: imvu-verify <kind> <file> --trust <trusted-root.json> [options] [--json]

kinds:
  envelope     a DSSE envelope              [--payload-type TYPE] [--threshold N]
  checkpoint   a signed checkpoint note (C2SP tlog-checkpoint)
  inclusion    an inclusion proof           [--leaf FILE]  (the entry bytes the proof is for)
  consistency  a consistency proof between two signed checkpoints
  head         a proof that a signed checkpoint commits one chain's head
  slice        one chain's entries with the proof that they are complete
  statement    a signed statement with its slice and rate cards   --owner DID (the IMVU owner)
  bundle       an exit bundle, streamed     [--trusted-root FILE]  (imvu-verify bundle --help)

Verifies offline: it reads the named files and opens no socket.
exit: 0 valid, 1 invalid (with a coded reason), 2 usage error, 3 internal error (a bug)`;

type Report = Record<string, unknown>;
type Handler = (file: Uint8Array, root: LoadedTrustedRoot, opts: Options, io: VerifyIo) => Report;
interface Options { payloadType?: string; threshold?: string; leaf?: string; owner?: string[] }

const HANDLERS: Record<string, Handler> = {
  envelope: (file, root, opts) => {
    const threshold = opts.threshold === undefined ? 1 : Number(opts.threshold);
    if (!Number.isSafeInteger(threshold) || threshold < 1) throw fail('USAGE', '--threshold takes a positive integer', '--threshold');
    const v = verifyEnvelope(parseCanonicalJsonArtifact(file), {
      trusted: root.keys, threshold, ...(opts.payloadType === undefined ? {} : { payloadType: opts.payloadType }),
    });
    return { payloadType: v.payloadType, payloadBytes: v.payload.length, signedBy: v.signedBy };
  },
  checkpoint: (file, root) => {
    const { checkpoint, verifiedBy } = openCheckpoint(file, { origin: root.origin, trusted: root.noteKeys });
    return { origin: checkpoint.origin, size: checkpoint.size.toString(), root: toBase64(checkpoint.root), extensions: checkpoint.extensions.length, signedBy: verifiedBy };
  },
  inclusion: (file, root, opts, io) => {
    const leaf = opts.leaf === undefined ? undefined : leafHash(readOrUsage(io, opts.leaf));
    const v = verifyInclusionProof(parseCanonicalJsonArtifact(file), root, leaf);
    return { logIndex: v.logIndex, treeSize: v.treeSize, leafHash: toHex(v.leafHash), leafChecked: leaf !== undefined, root: toBase64(v.checkpoint.root) };
  },
  head: (file, root) => {
    const v = verifyHeadProof(parseCanonicalJsonArtifact(file), root);
    return { chain: v.chain, seq: v.seq.toString(), head: v.head, checkpointSize: v.checkpoint.size.toString() };
  },
  slice: (file, root) => {
    const v = verifyLedgerSlice(parseCanonicalJsonArtifact(file), root);
    return { chain: v.head.chain, entries: v.entries.length, head: v.head.head, checkpointSize: v.head.checkpoint.size.toString(), complete: true };
  },
  statement: (file, root, opts) => {
    if (opts.owner === undefined || opts.owner.length === 0) throw fail('USAGE', '--owner <did:key> is required', '--owner');
    const v = verifyStatementBundle(parseCanonicalJsonArtifact(file), root, TrustedKeys.fromDids(opts.owner));
    const s = v.statement;
    return { imvu: s.imvu, currency: s.currency, gross: s.gross, creator: s.creator, platform: s.platform, entries: s.covers.count, recomputed: true };
  },
  consistency: (file, root) => {
    const v = verifyConsistencyProof(parseCanonicalJsonArtifact(file), root);
    return { oldSize: v.oldCheckpoint.size.toString(), newSize: v.newCheckpoint.size.toString(), newRoot: toBase64(v.newCheckpoint.root) };
  },
};

/** Unknown or malformed options are a usage error (exit 2), never a verdict. */
function parseOrUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (cause) {
    throw fail('USAGE', cause instanceof Error ? cause.message : 'bad arguments', undefined, cause);
  }
}

function readOrUsage(io: VerifyIo, path: string): Uint8Array {
  try {
    return io.readFile(path);
  } catch (cause) {
    throw fail('USAGE', `cannot read ${path}`, path, cause);
  }
}

/** Runs `imvu-verify` with the given arguments; returns the exit code. */
export function runImvuVerify(argv: readonly string[], io: VerifyIo): number {
  let json = false;
  let kind = '';
  try {
    const { values, positionals } = parseOrUsage(() => parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        trust: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
        'payload-type': { type: 'string' }, threshold: { type: 'string' }, leaf: { type: 'string' }, owner: { type: 'string', multiple: true },
      },
    }));
    json = values.json === true;
    if (values.help === true) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const [k, file, ...rest] = positionals;
    kind = k ?? '';
    const handler = HANDLERS[kind];
    if (handler === undefined || file === undefined || rest.length > 0) throw fail('USAGE', 'expected <kind> <file>');
    if (values.trust === undefined) throw fail('USAGE', '--trust <trusted-root.json> is required', '--trust');
    const trustBytes = readOrUsage(io, values.trust);
    const bytes = readOrUsage(io, file);
    const root = loadTrustedRoot(parseCanonicalJsonArtifact(trustBytes, '--trust'));
    const opts: Options = {};
    if (values['payload-type'] !== undefined) opts.payloadType = values['payload-type'];
    if (values.threshold !== undefined) opts.threshold = values.threshold;
    if (values.leaf !== undefined) opts.leaf = values.leaf;
    if (values.owner !== undefined) opts.owner = values.owner;
    const details = handler(bytes, root, opts, io);
    report(io, json, { valid: true, kind, ...details });
    return 0;
  } catch (e) {
    if (!isNexusError(e)) {
      // Not a verdict: a bug in the verifier. Never reported as "invalid" or as a usage error.
      io.stderr(`INTERNAL ERROR (please report): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      return 3;
    }
    const err: NexusError = e;
    const usage = err.code === 'USAGE';
    report(io, json, { valid: false, kind, ...err.toJSON() }, true);
    if (usage && !json) io.stderr(`${USAGE}\n`);
    return usage ? 2 : 1;
  }
}

function report(io: VerifyIo, json: boolean, r: Report, error = false): void {
  if (json) {
    io.stdout(`${JSON.stringify(r)}\n`);
    return;
  }
  const { valid, kind, code, message, field, ...rest } = r;
  if (valid === true) {
    io.stdout(`OK ${String(kind)}: ${Object.entries(rest).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ')}\n`);
  } else {
    const where = field === undefined ? '' : ` at ${String(field)}`;
    (error ? io.stderr : io.stdout)(`INVALID ${String(code)}${where}: ${String(message)}\n`);
  }
}
