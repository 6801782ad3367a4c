import type { GateResult } from '@nexus-cos/sdk';
import { mailIdentity } from '../gates/rules/g08-mail-identity.js';
import type { GateFacts, ImvuFacts } from '../gates/types.js';
import type { Mailbox } from './directory.js';

const NO_PROOF = { signatureValid: false, created: 0, expires: 0, replayed: false } as const;

/** The mail facts of one IMVU that gate 8 reads. */
export interface MailFacts {
  readonly imvu: string;
  readonly identity: string;
  readonly verifiedDomains: readonly string[];
  readonly mailReadyDomains: readonly string[];
  readonly mailboxes: readonly string[];
}

/**
 * Runs gate 8's own rule for `action`, so SMTP refusals, enabling and mailbox creation share
 * one piece of pure code with the gatekeeper. Gate 8 reads only the IMVU; the other facts
 * are inert.
 */
export function judgeGate8(action: 'mail.send' | 'mail.enable' | 'mailbox.create', m: MailFacts, params: Readonly<Record<string, unknown>>): GateResult {
  const imvu: ImvuFacts = {
    id: m.imvu, owner: m.identity, jurisdiction: '', status: 'active', consents: [],
    verifiedDomains: m.verifiedDomains, mailReadyDomains: m.mailReadyDomains, mailboxes: m.mailboxes,
  };
  const facts: GateFacts = {
    now: 0, platform: '', operators: [], keyStatus: () => 'unknown', imvu: (id) => (id === imvu.id ? imvu : undefined),
    delegation: () => [], ledgerHealthy: true, meterAttached: () => false, storageJurisdiction: () => undefined,
  };
  return mailIdentity.evaluate({ action, actor: m.identity, resource: `imvu:${m.imvu}`, imvu: m.imvu, proof: NO_PROOF, params }, facts, 'owner');
}

/**
 * True when both senders are the authenticated mailbox (gate 8's `mail.send` with exactly
 * that mailbox as the IMVU's: an SMTP session is bound to one mailbox, which is narrower
 * than "any mailbox of the IMVU").
 */
export function sendBound(sender: Mailbox, mailFrom: string, headerFrom: string): boolean {
  const domain = sender.address.slice(sender.address.lastIndexOf('@') + 1);
  const m = { imvu: sender.imvu, identity: sender.identity, verifiedDomains: [domain], mailReadyDomains: [domain], mailboxes: [sender.address] };
  return judgeGate8('mail.send', m, { mailFrom, headerFrom }).result === 'pass';
}
