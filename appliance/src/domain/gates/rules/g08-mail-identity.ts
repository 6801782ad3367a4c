import type { GateResult } from '@nexus-cos/sdk';
import type { Gate, GateRequest, ImvuFacts } from '../types.js';
import { hasDomain, hasMailbox, normalizeName, parseAddress } from './names.js';
import { clip, param, verdicts } from './verdict.js';

const v = verdicts(8);

/** The DNS records that must be published before a domain may send mail. */
const MAIL_RECORDS = ['dkim', 'spf', 'dmarc'] as const;

function mailboxCreate(req: GateRequest, imvu: ImvuFacts): GateResult {
  const raw = param(req.params, 'address');
  const addr = parseAddress(raw);
  if (addr === undefined) return v.fail('ADDRESS_INVALID', { imvu: imvu.id, address: clip(raw) });
  const evidence = { imvu: imvu.id, address: clip(raw), domain: addr.domain };
  if (!hasDomain(imvu.verifiedDomains, addr.domain)) return v.fail('DOMAIN_UNVERIFIED', evidence);
  if (!hasDomain(imvu.mailReadyDomains, addr.domain)) return v.fail('MAIL_DNS_MISSING', evidence);
  return v.pass({ ...evidence, binding: 'domain bound and mail-ready' });
}

// `published` is filled by the service from its own DNS lookup, never taken from the client.
function mailEnable(req: GateRequest, imvu: ImvuFacts): GateResult {
  const raw = param(req.params, 'domain');
  const domain = normalizeName(raw);
  if (domain === undefined || domain.includes('*')) return v.fail('DOMAIN_INVALID', { imvu: imvu.id, domain: clip(raw) });
  if (!hasDomain(imvu.verifiedDomains, domain)) return v.fail('DOMAIN_UNVERIFIED', { imvu: imvu.id, domain });
  const published = param(req.params, 'published');
  const flags = (published !== null && typeof published === 'object' ? published : {}) as Record<string, unknown>;
  const missing = MAIL_RECORDS.filter((k) => flags[k] !== true);
  const evidence = { imvu: imvu.id, domain, published: MAIL_RECORDS.filter((k) => flags[k] === true).join(',') };
  return missing.length === 0 ? v.pass(evidence) : v.fail('MAIL_DNS_MISSING', { ...evidence, missing: missing.join(',') });
}

function mailSend(req: GateRequest, imvu: ImvuFacts): GateResult {
  const evidence = { imvu: imvu.id, mailFrom: clip(param(req.params, 'mailFrom')), headerFrom: clip(param(req.params, 'headerFrom')) };
  for (const field of ['mailFrom', 'headerFrom'] as const) {
    const addr = parseAddress(param(req.params, field));
    if (addr === undefined) return v.fail('ADDRESS_INVALID', { ...evidence, field });
    if (!hasMailbox(imvu.mailboxes, addr)) return v.fail('SENDER_NOT_BOUND', { ...evidence, field });
  }
  return v.pass({ ...evidence, binding: 'both senders are mailboxes of the IMVU' });
}

const RULES: Readonly<Record<string, (req: GateRequest, imvu: ImvuFacts) => GateResult>> = {
  'mailbox.create': mailboxCreate,
  'mail.enable': mailEnable,
  'mail.send': mailSend,
};

/**
 * Gate 8: every mailbox, envelope MAIL FROM and header From is bound to the IMVU, and a
 * domain sends mail only once DKIM, SPF and DMARC are published.
 */
export const mailIdentity: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req, facts) {
    const rule = Object.hasOwn(RULES, req.action) ? RULES[req.action] : undefined;
    if (rule === undefined) return v.fail('UNHANDLED_ACTION', { action: clip(req.action) });
    const imvu = req.imvu === undefined ? undefined : facts.imvu(req.imvu);
    if (imvu === undefined) return v.fail('IMVU_UNKNOWN', { imvu: req.imvu ?? '' });
    return rule(req, imvu);
  },
};
