import type { RRset } from '../dns/types.js';

/** What the mail records of one domain are made of. */
export interface MailRecordInput {
  readonly domain: string;
  /** The host that receives the domain's mail (the appliance's public name). */
  readonly mxHost: string;
  /** The DKIM selector, a DNS label. */
  readonly selector: string;
  /** The DKIM public key: base64 of its DER SubjectPublicKeyInfo. */
  readonly publicKey: string;
  readonly keyType: 'rsa' | 'ed25519';
  /** The TXT records already at the apex (a domain challenge, say); kept, less any old SPF. */
  readonly apexTxt?: readonly string[];
  readonly ttl?: number;
}

/** A TXT rdata of quoted strings of at most 255 bytes each (RFC 1035 §3.3.14, RFC 7208 §3.3). */
export function txt(value: string): string {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i += 255) parts.push(`"${value.slice(i, i + 255)}"`);
  return parts.join(' ');
}

/** Our policy records: only the MX may send (SPF), and receivers reject what fails DMARC. */
export const SPF = 'v=spf1 mx -all';
export const DMARC = 'v=DMARC1; p=reject; adkim=s; aspf=s';

/**
 * The RRsets that enable mail for a domain: MX, SPF (merged into the apex TXT set), the
 * DKIM key under `<selector>._domainkey` and a DMARC policy under `_dmarc`. Pure; the
 * caller publishes them through the gated DNS service.
 */
export function mailRecords(m: MailRecordInput): RRset[] {
  const ttl = m.ttl ?? 3600;
  const key = m.publicKey.replace(/[^A-Za-z0-9+/=]/g, '');
  // RFC 7208 §3.2: one SPF record per name, so any earlier one is replaced, not added to.
  const kept = (m.apexTxt ?? []).filter((r) => !/^"v=spf1(?:[ "]|$)/i.test(r));
  return [
    { name: m.domain, type: 'MX', ttl, records: [`10 ${m.mxHost}`] },
    { name: m.domain, type: 'TXT', ttl, records: [...kept, txt(SPF)] },
    { name: `${m.selector}._domainkey.${m.domain}`, type: 'TXT', ttl, records: [txt(`v=DKIM1; k=${m.keyType}; p=${key}`)] },
    { name: `_dmarc.${m.domain}`, type: 'TXT', ttl, records: [txt(DMARC)] },
  ];
}

/** Which of gate 8's required records (dkim, spf, dmarc) a set of RRsets carries. */
export function publishedFlags(domain: string, selector: string, rrsets: readonly RRset[]): { dkim: boolean; spf: boolean; dmarc: boolean } {
  const has = (name: string, prefix: string) => rrsets.some((r) => r.type === 'TXT' && r.name === name && r.records.some((x) => x.startsWith(`"${prefix}`)));
  return { dkim: has(`${selector}._domainkey.${domain}`, 'v=DKIM1'), spf: has(domain, 'v=spf1'), dmarc: has(`_dmarc.${domain}`, 'v=DMARC1') };
}
