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
    files['tls.ini'] = '; Written by nexus-cos.\n[main]\n';
    files['tls_key.pem'] = m.tls.keyPem;
    files['tls_cert.pem'] = m.tls.certPem;
  }
  return files;
}
