/** One record line of `knotc zone-read`/`zone-get`: `[zone.] owner ttl TYPE rdata`. */
export interface ReadRecord {
  readonly name: string;
  readonly ttl: number;
  readonly type: string;
  readonly rdata: string;
}

const LINE = /^\[[^\]]*\] (\S+) ([0-9]+) ([A-Z0-9]+) (.*)$/;

/** Parses knotc's record listing; owners come back without the trailing dot, lower-case. */
export function parseZoneRead(stdout: string): ReadRecord[] {
  const out: ReadRecord[] = [];
  for (const line of stdout.split('\n')) {
    const m = LINE.exec(line.trimEnd());
    if (m === null) continue;
    const owner = (m[1] ?? '').toLowerCase();
    out.push({ name: owner.endsWith('.') ? owner.slice(0, -1) : owner, ttl: Number(m[2]), type: m[3] ?? '', rdata: m[4] ?? '' });
  }
  return out;
}
