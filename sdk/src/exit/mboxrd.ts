// mboxrd (https://www.loc.gov/preservation/digital/formats/fdd/fdd000385.shtml), byte exact:
// each message is preceded by a `From ` line and followed by one empty line; a line that
// matches `>*From ` gets one more `>`. Line ends are kept as stored (CRLF stays CRLF), so
// reading the mbox back gives the stored bytes and their SHA-256 again.

const ESCAPE = /^(>*From )/gm;
const UNESCAPE = /^>(>*From )/gm;

/** The `From ` line of every entry; fixed, so an mbox's bytes depend only on its messages. */
export const MBOX_FROM_LINE = 'From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n';

/** One message as an mboxrd entry. A message that does not end in LF gets one (noted by `readMbox`). */
export function mboxrdEntry(message: Uint8Array): Uint8Array {
  const text = Buffer.from(message.buffer, message.byteOffset, message.byteLength).toString('latin1');
  const body = text.replace(ESCAPE, '>$1');
  return Buffer.from(`${MBOX_FROM_LINE}${body}${body.endsWith('\n') || body === '' ? '' : '\n'}\n`, 'latin1');
}

/**
 * The entries of an mboxrd file, unescaped, each as the bytes `mboxrdEntry` was given, or
 * those bytes plus the LF the writer added; the verifier accepts either against a digest.
 * Undefined when the file is not an mbox (it does not start with a `From ` line or an
 * entry is not followed by its empty line).
 */
export function readMbox(bytes: Uint8Array): Uint8Array[] | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (text === '') return [];
  if (!text.startsWith('From ')) return undefined;
  const out: Uint8Array[] = [];
  // A separator is a `From ` line at the start or after the empty line that ends an entry.
  const starts: number[] = [0];
  for (let i = text.indexOf('\n\nFrom '); i !== -1; i = text.indexOf('\n\nFrom ', i + 1)) starts.push(i + 2);
  for (let k = 0; k < starts.length; k++) {
    const start = starts[k] as number;
    const end = starts[k + 1] ?? text.length;
    const chunk = text.slice(start, end);
    const firstLf = chunk.indexOf('\n');
    // The `From ` line, then the body, then the entry's closing empty line.
    if (firstLf === -1 || chunk.length < firstLf + 2 || !chunk.endsWith('\n')) return undefined;
    const body = chunk.slice(firstLf + 1, chunk.length - 1);
    out.push(Buffer.from(body.replace(UNESCAPE, '$1'), 'latin1'));
  }
  return out;
}
