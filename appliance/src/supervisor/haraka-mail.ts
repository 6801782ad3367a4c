/** The nexus mail plugin's part of Haraka's config (issue 7). */
export interface HarakaMailSettings {
  /** The appliance's decision socket (appliance/src/mail/channel). */
  readonly socket: string;
  /** Where each enabled domain's DKIM key lives: `<dkimDir>/<domain>/{private,selector}`. */
  readonly dkimDir: string;
  /** Decision timeout before the plugin answers tempfail. */
  readonly timeoutMs?: number;
  /** A fixed next hop for outbound mail, `host:port` (a smarthost; tests' remote MX). */
  readonly relay?: string;
  /** PEM key and certificate for STARTTLS: AUTH is offered only under TLS. */
  readonly tls?: { readonly keyPem: string; readonly certPem: string };
}

/**
 * The RFC 7919 ffdhe2048 group (`openssl genpkey -genparam -algorithm DH -pkeyopt
 * group:ffdhe2048`). Without a dhparams file Haraka spawns `openssl dhparam 2048` at every
 * start: minutes of CPU under emulation, killed after 30 s, and left running when Haraka
 * stops first. A published, vetted group is also what Mozilla's TLS guidance recommends.
 */
export const FFDHE2048_PEM = [
  '-----BEGIN DH PARAMETERS-----',
  'MIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx2LnFg84tNpWp4TZBFGQz',
  '+8yTnc4kmz75fS/jY2MMddj2gbICrsRhetPfHtXV/WVhJDP1H18GbtCFY2VVPe0a',
  '87VXE15/V8k1mE8McODmi3fipona8+/och3xWKE2rec1MKzKT0g6eXq8CrGCsyT7',
  'YdEIqUuyyOP7uWrat2DX9GgdT0Kj3jlN9K5W7edjcrsZCwenyO4KbXCeAvzhzffi',
  '7MA0BM0oNC9hkXL+nOmFg/+OTxIy7vKBg8P+OxtMb61zO7X8vC7CIAXFjvGDfRaD',
  'ssbzSibBsu/6iGtCOGEoXJf//////////wIBAg==',
  '-----END DH PARAMETERS-----',
].join('\n');

/**
 * The files the mail plugin needs, and the plugin list: TLS first (AUTH needs it), then
 * nexus, which answers AUTH, MAIL, RCPT, DATA and both queues itself.
 */
export function harakaMailFiles(m: HarakaMailSettings): Record<string, string> {
  const files: Record<string, string> = {
    plugins: `# Written by nexus-cos.\n${m.tls === undefined ? '' : 'tls\n'}nexus\n`,
    'nexus.ini': [
      '; Written by nexus-cos.', '[main]', `socket=${m.socket}`, `dkim_dir=${m.dkimDir}`, `timeout_ms=${m.timeoutMs ?? 2000}`,
      ...(m.relay === undefined ? [] : ['[outbound]', `relay=${m.relay}`]), '',
    ].join('\n'),
  };
  if (m.tls !== undefined) {
    files['tls.ini'] = '; Written by nexus-cos.\n[main]\ndhparam=dhparams.pem\n';
    files['dhparams.pem'] = `${FFDHE2048_PEM}\n`;
    files['tls_key.pem'] = m.tls.keyPem;
    files['tls_cert.pem'] = m.tls.certPem;
  }
  return files;
}
