/** One event of an exit download, as `--json` prints it (one line each). */
export type ExitEvent =
  | { readonly event: 'start'; readonly imvu: string; readonly total?: number; readonly files?: number; readonly gzip: boolean }
  | { readonly event: 'file'; readonly path: string; readonly size: number; readonly bytes: number; readonly total?: number; readonly files: number; readonly filesTotal?: number }
  | { readonly event: 'downloaded'; readonly bytes: number; readonly files: number }
  /** --countersign: the download verified; the owner signs it (then it is compressed here, with --gzip) and it is verified again. */
  | { readonly event: 'countersigning'; readonly compress: boolean }
  | { readonly event: 'verified'; readonly entries: number; readonly head: string; readonly trust: 'given' | 'bundled'; readonly manifestSignedBy: readonly string[]; readonly countersignedBy: readonly string[] }
  | { readonly event: 'done'; readonly path: string; readonly size: number; readonly sha256: string }
  | { readonly event: 'error'; readonly code: string; readonly message: string; readonly field?: string; readonly hold?: unknown };

/** Where events go: JSON lines, a progress bar on a terminal, or plain lines. */
export interface ProgressSink {
  emit(e: ExitEvent): void;
}

/** A byte count in the unit that suits `scale` (the total, when known). */
function human(n: number, scale: number): string {
  return (n / (scale >= 1024 * 1024 ? 1024 * 1024 : 1024)).toFixed(1);
}
const unitOf = (scale: number): string => (scale >= 1024 * 1024 ? 'MiB' : 'KiB');

/** `--json`: every event as one line of JSON on stdout. */
export function jsonSink(write: (text: string) => void): ProgressSink {
  return { emit: (e) => write(`${JSON.stringify(e)}\n`) };
}

/**
 * A terminal: one bar redrawn in place on stderr (bytes of the tar against the size the
 * appliance announced, and files), at most every 100 ms; the outcome on stdout.
 */
export function ttySink(out: (text: string) => void, err: (text: string) => void, columns: number, now: () => number = Date.now): ProgressSink {
  let last = 0;
  let drawn = false;
  let seen: Extract<ExitEvent, { event: 'file' }> | undefined;
  const bar = (e: Extract<ExitEvent, { event: 'file' }>, force = false): void => {
    seen = e;
    const t = now();
    if (!force && t - last < 100) return;
    last = t;
    const share = e.total === undefined || e.total === 0 ? undefined : Math.min(1, e.bytes / e.total);
    const scale = e.total ?? e.bytes;
    const text = ` ${share === undefined ? '' : `${Math.floor(share * 100)}% `}${human(e.bytes, scale)}${e.total === undefined ? '' : `/${human(e.total, scale)}`} ${unitOf(scale)}  ${e.files}${e.filesTotal === undefined ? '' : `/${e.filesTotal}`} files`;
    const width = Math.max(10, Math.min(40, columns - text.length - 3));
    const full = share === undefined ? 0 : Math.round(share * width);
    err(`\r[${'#'.repeat(full)}${'-'.repeat(width - full)}]${text}`);
    drawn = true;
  };
  const endBar = (): void => {
    if (drawn) err('\n');
    drawn = false;
  };
  return {
    emit: (e) => {
      if (e.event === 'file') bar(e);
      else if (e.event === 'downloaded') {
        // The last frame shows the whole download (the end blocks follow the last member).
        if (seen !== undefined) bar({ ...seen, bytes: e.bytes, files: e.files }, true);
        endBar();
      }
      else if (e.event === 'error') {
        endBar();
        out(`FAILED ${e.code}${e.field === undefined ? '' : ` at ${e.field}`}: ${e.message}\n`);
        const h = e.hold as { reason?: unknown; signedBy?: unknown; envelopeDigest?: unknown } | undefined;
        if (h !== undefined) out(`legal hold: ${String(h.reason)}\n  signed by ${String(h.signedBy)}\n  signed hold sha256 ${String(h.envelopeDigest)}\n`);
      } else if (e.event === 'verified') out(`verified: ${e.entries} ledger entries, head ${e.head}, trust=${e.trust}${e.countersignedBy.length === 0 ? '' : `, countersigned by ${e.countersignedBy.join(', ')}`}\n`);
      else if (e.event === 'done') out(`OK ${e.path} ${e.size} bytes sha256=${e.sha256}\n`);
      else if (e.event === 'countersigning') out(`downloaded and verified; countersigning${e.compress ? ', compressing' : ''} and verifying again\n`);
    },
  };
}

/** Not a terminal and no `--json`: the outcome lines only. */
export function plainSink(out: (text: string) => void): ProgressSink {
  return ttySink(out, () => undefined, 80);
}
