/** The plugin's settings, from Haraka's `config/nexus.ini` (written by the appliance's supervisor). */
export interface Settings {
  /** The appliance's decision socket. */
  readonly socket: string;
  /** Where `<domain>/private` holds each domain's DKIM key. */
  readonly dkimDir: string;
  /** How long to wait for a decision before answering tempfail. */
  readonly timeoutMs: number;
  /** A fixed next hop for outbound mail (`host:port`), instead of the MX from DNS. */
  readonly relay?: { readonly host: string; readonly port: number };
}

/** Reads nexus.ini; throws when a required setting is missing, so Haraka will not start half-configured. */
export function readSettings(ini: { main?: Record<string, string>; outbound?: Record<string, string> }): Settings {
  const socket = ini.main?.socket;
  const dkimDir = ini.main?.dkim_dir;
  if (socket === undefined || socket === '' || dkimDir === undefined || dkimDir === '') throw new Error('nexus.ini: [main] socket and dkim_dir are required');
  const timeoutMs = Number(ini.main?.timeout_ms ?? '2000');
  const relay = ini.outbound?.relay;
  const m = relay === undefined ? null : /^([A-Za-z0-9.:-]+):(\d{1,5})$/.exec(relay);
  if (relay !== undefined && m === null) throw new Error('nexus.ini: [outbound] relay is host:port');
  return { socket, dkimDir, timeoutMs: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 2000, ...(m === null ? {} : { relay: { host: m[1] as string, port: Number(m[2]) } }) };
}
