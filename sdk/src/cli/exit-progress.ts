/** One event of an exit download, as `--json` prints it (one line each). */
export type ExitEvent =
  | { readonly event: 'start'; readonly imvu: string; readonly total?: number; readonly files?: number; readonly gzip: boolean }
  | { readonly event: 'file'; readonly path: string; readonly size: number; readonly bytes: number; readonly total?: number; readonly files: number; readonly filesTotal?: number }
  | { readonly event: 'downloaded'; readonly bytes: number; readonly files: number }
  | { readonly event: 'verified'; readonly entries: number; readonly head: string; readonly trust: 'given' | 'bundled'; readonly manifestSignedBy: readonly string[]; readonly countersignedBy: readonly string[] }
  | { readonly event: 'done'; readonly path: string; readonly size: number; readonly sha256: string }
  | { readonly event: 'error'; readonly code: string; readonly message: string; readonly field?: string; readonly hold?: unknown };

/** Where events go: JSON lines, a progress bar on a terminal, or plain lines. */
export interface ProgressSink {
  emit(e: ExitEvent): void;
}

const MiB = 1024 * 1024;
const mib = (n: number): string => (n / MiB).toFixed(1);

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
  const bar = (e: Extract<ExitEvent, { event: 'file' }>): void => {
    const t = now();
    if (t - last < 100 && e.filesTotal !== e.files) return;
    last = t;
    const share = e.total === undefined || e.total === 0 ? undefined : Math.min(1, e.bytes / e.total);
    const text = ` ${share === undefined ? '' : `${Math.floor(share * 100)}% `}${mib(e.bytes)}${e.total === undefined ? '' : `/${mib(e.total)}`} MiB  ${e.files}${e.filesTotal === undefined ? '' : `/${e.filesTotal}`} files`;
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
      else if (e.event === 'downloaded') endBar();
      else if (e.event === 'error') {
        endBar();
        out(`FAILED ${e.code}${e.field === undefined ? '' : ` at ${e.field}`}: ${e.message}\n`);
        const h = e.hold as { reason?: unknown; signedBy?: unknown; envelopeDigest?: unknown } | undefined;
        if (h !== undefined) out(`legal hold: ${String(h.reason)}\n  signed by ${String(h.signedBy)}\n  signed hold sha256 ${String(h.envelopeDigest)}\n`);
      } else if (e.event === 'verified') out(`verified: ${e.entries} ledger entries, head ${e.head}, trust=${e.trust}${e.countersignedBy.length === 0 ? '' : `, countersigned by ${e.countersignedBy.join(', ')}`}\n`);
      else if (e.event === 'done') out(`OK ${e.path} ${e.size} bytes sha256=${e.sha256}\n`);
    },
  };
}

/** Not a terminal and no `--json`: the outcome lines only. */
export function plainSink(out: (text: string) => void): ProgressSink {
  return ttySink(out, () => undefined, 80);
}
