import type { Gate } from '../types.js';
import { clip, param, verdicts } from './verdict.js';

const v = verdicts(10);

/** The consent purpose each personal-data action needs from the IMVU's recorded consents. */
export const CONSENT_PURPOSES: Readonly<Record<string, string>> = {
  'mailbox.create': 'mail.processing',
  'mail.read': 'mail.operator-access',
  'export.third-party': 'export.third-party',
};

/** Actions that create an identity or IMVU carry the consent with them, for this purpose. */
export const ATTRIBUTE_PURPOSE = 'identity.attributes';
const CARRIES_CONSENT: ReadonlySet<string> = new Set(['identity.register', 'imvu.create', 'imvu.import']);
/** Recording or withdrawing a consent is the consent record itself. */
const IS_CONSENT: ReadonlySet<string> = new Set(['consent.grant', 'consent.withdraw']);

/**
 * Gate 10: an action that processes personal data needs a signed, unwithdrawn consent for
 * its purpose. A withdrawal removes the purpose from the IMVU's consents, so it is honoured
 * by the very next request.
 */
export const consentLogging: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req, facts) {
    if (IS_CONSENT.has(req.action)) return v.pass({ consent: 'this action is the consent record' });
    if (CARRIES_CONSENT.has(req.action)) {
      const consents = param(req.params, 'consents');
      const listed = Array.isArray(consents) ? consents.filter((c): c is string => typeof c === 'string') : [];
      const evidence = { purpose: ATTRIBUTE_PURPOSE, consents: clip(listed.join(',')) };
      return listed.includes(ATTRIBUTE_PURPOSE) ? v.pass({ ...evidence, consent: 'carried by the request' }) : v.fail('CONSENT_MISSING', evidence);
    }
    const purpose = Object.hasOwn(CONSENT_PURPOSES, req.action) ? CONSENT_PURPOSES[req.action] : undefined;
    if (purpose === undefined) return v.fail('UNHANDLED_ACTION', { action: clip(req.action) });
    const imvu = req.imvu === undefined ? undefined : facts.imvu(req.imvu);
    if (imvu === undefined) return v.fail('IMVU_UNKNOWN', { purpose, imvu: req.imvu ?? '' });
    return imvu.consents.includes(purpose)
      ? v.pass({ purpose, imvu: imvu.id, consent: 'recorded' })
      : v.fail('CONSENT_MISSING', { purpose, imvu: imvu.id, consent: 'none or withdrawn' });
  },
};
