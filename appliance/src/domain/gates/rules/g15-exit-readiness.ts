import type { GateResult } from '@nexus-cos/sdk';
import type { Gate, GateRequest, ImvuFacts } from '../types.js';
import { clip, param, verdicts } from './verdict.js';

const v = verdicts(15);

/** The one disk format the exit bundle carries (an open, documented format). */
export const EXPORT_DISK_FORMAT = 'qcow2';
const DIGEST = /^[0-9a-f]{64}$/;

// The owner is shown why their exit is held: the signed reason, its signer and its digest.
function blockedByHold(imvu: ImvuFacts): GateResult | undefined {
  const h = imvu.legalHold;
  if (h === undefined) return undefined;
  return v.fail('LEGAL_HOLD', { imvu: imvu.id, holdReason: clip(h.reason), holdSignedBy: h.signedBy, holdEnvelopeDigest: h.envelopeDigest });
}

function judge(req: GateRequest, imvu: ImvuFacts | undefined): GateResult {
  switch (req.action) {
    case 'exit.start':
    case 'domain.transfer':
    case 'export.third-party':
      if (imvu === undefined) return v.fail('IMVU_UNKNOWN', { imvu: req.imvu ?? '' });
      return blockedByHold(imvu) ?? v.pass({ imvu: imvu.id, hold: 'none' });
    case 'exit.hold': {
      const reason = param(req.params, 'holdReason');
      const digest = param(req.params, 'holdEnvelopeDigest');
      const evidence = { holdReason: clip(reason), holdEnvelopeDigest: clip(digest) };
      const signed = typeof reason === 'string' && reason.trim() !== '' && typeof digest === 'string' && DIGEST.test(digest);
      return signed ? v.pass({ ...evidence, hold: 'signed reason' }) : v.fail('HOLD_UNSIGNED', evidence);
    }
    case 'exit.release':
      // Lifting a hold can only unblock an exit.
      return v.pass({ hold: imvu?.legalHold === undefined ? 'none' : 'lifted' });
    case 'vm.create':
    case 'vm.snapshot': {
      const format = param(req.params, 'diskFormat');
      return format === EXPORT_DISK_FORMAT
        ? v.pass({ diskFormat: format })
        : v.fail('UNSUPPORTED_EXPORT_FORMAT', { diskFormat: clip(format), supported: EXPORT_DISK_FORMAT });
    }
    default:
      return v.fail('UNHANDLED_ACTION', { action: clip(req.action) });
  }
}

/**
 * Gate 15: the IMVU can always leave. An exit or third-party export is blocked only by a
 * legal hold with a signed reason, a hold is placed only with one, and nothing creates
 * data in a form the exit bundle cannot carry.
 */
export const exitReadiness: Gate = {
  id: v.id,
  name: v.name,
  evaluate(req, facts) {
    return judge(req, req.imvu === undefined ? undefined : facts.imvu(req.imvu));
  },
};
