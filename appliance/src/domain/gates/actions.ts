/**
 * Every mutating action the appliance knows, and the gates that apply to it. This table is
 * the single source: spec/gates.md is checked against it, the evaluator runs exactly these
 * gates in ascending order, and a test proves every route maps to one of these actions.
 * Gates 1, 5 and 11 apply to every action; they are added by `gatesFor`.
 */
export const ACTIONS = {
  // Identities (gate 16: rotations and revocations are signed by the old or a recovery key)
  'identity.register': { gates: [9, 10], about: 'register an identity key with proof of possession' },
  'identity.rotate': { gates: [16], about: 'replace a key, signed by the old key or a recovery key' },
  'identity.revoke': { gates: [16], about: 'revoke a key' },
  'identity.recovery.add': { gates: [16], about: 'register a recovery key' },
  'delegation.grant': { gates: [2], about: 'delegate scopes of an IMVU to another identity' },
  'delegation.revoke': { gates: [2], about: 'withdraw a delegation' },
  // IMVUs
  'imvu.create': { gates: [2, 9, 10, 14], about: 'create an IMVU bound to its owner, with jurisdiction and consent' },
  'imvu.update': { gates: [2, 9, 14], about: 'change an IMVU\u2019s jurisdiction or descriptive fields (the new tag must fit its storage)' },
  'imvu.suspend': { gates: [2, 12, 17], about: 'operator: suspend an IMVU (a capacity change: reason and notice first)' },
  'imvu.resume': { gates: [2, 12, 17], about: 'operator: lift a suspension' },
  'quota.change': { gates: [2, 12, 17], about: 'operator: change an IMVU\u2019s quotas, limits or priority' },
  'consent.grant': { gates: [2, 10], about: 'record a signed consent for a purpose' },
  'consent.withdraw': { gates: [2, 10], about: 'withdraw a consent' },
  'imvu.import': { gates: [2, 4, 9, 10, 12, 14], about: 'owner: re-instantiate an IMVU from a verified exit bundle (same id, owner, jurisdiction, consents), its VMs within its quota' },
  // Revenue (gate 3)
  'ratecard.publish': { gates: [2, 3], about: 'publish an owner-signed rate card' },
  'revenue.report': { gates: [2, 3], about: 'record a reporter-signed revenue event' },
  'statement.issue': { gates: [2, 3, 17], about: 'platform: sign a period statement' },
  // DNS
  'domain.claim': { gates: [2, 9], about: 'start a domain claim: issue a TXT challenge' },
  'domain.bind': { gates: [2, 4, 6, 9, 14], about: 'bind a domain after its challenge verified' },
  'dns.change': { gates: [2, 7], about: 'change RRsets in a bound zone' },
  'domain.unbind': { gates: [2], about: 'stop serving a domain and remove its zone, journal and keys' },
  'domain.transfer': { gates: [2, 15], about: 'sign a transfer authorization releasing a domain to another operator' },
  // Mail
  'mail.enable': { gates: [2, 4, 8], about: 'enable mail for a domain after DKIM/SPF/DMARC are published' },
  'mailbox.create': { gates: [2, 4, 8, 9, 10, 14], about: 'create a mailbox bound to the IMVU' },
  'mail.send': { gates: [2, 8], about: 'send as an address bound to the IMVU' },
  'mail.read': { gates: [2, 10, 17], about: 'operator: read a tenant\u2019s mail (consent required)' },
  // Compute and network
  'vm.create': { gates: [2, 4, 9, 12, 14, 15], about: 'create a VM within quota, on jurisdiction-tagged storage' },
  'vm.start': { gates: [2, 4], about: 'start a VM (its meter must be attached)' },
  'vm.stop': { gates: [2], about: 'stop a VM' },
  'vm.destroy': { gates: [2], about: 'destroy a VM' },
  'vm.snapshot': { gates: [2, 14, 15], about: 'snapshot a VM disk' },
  'network.create': { gates: [2, 9, 13], about: 'create the IMVU\u2019s network' },
  'route.change': { gates: [2, 13, 17], about: 'change a route or rule affecting an IMVU (declared and noticed first)' },
  // Exit (gate 15)
  'exit.start': { gates: [2, 15], about: 'export the IMVU' },
  'exit.hold': { gates: [15, 17], about: 'operator: place a legal hold on exit, with a signed reason' },
  'exit.release': { gates: [15, 17], about: 'operator: lift a legal hold' },
  'export.third-party': { gates: [2, 10, 15], about: 'send an export to a named third party (consent required)' },
} as const satisfies Record<string, { gates: readonly number[]; about: string }>;

/** A registered action name. */
export type ActionName = keyof typeof ACTIONS;

/** Gates that apply to every mutating action: identity (1), ledger integrity (5), audit (11). */
export const ALWAYS = [1, 5, 11] as const;

/** True for a registered action. */
export function isAction(name: string): name is ActionName {
  return Object.hasOwn(ACTIONS, name);
}

/** The gates of an action, ascending: the fixed order the evaluator runs them in. */
export function gatesFor(action: ActionName): number[] {
  return [...new Set<number>([...ALWAYS, ...ACTIONS[action].gates])].sort((a, b) => a - b);
}

/** Actions only the operator (or the platform) takes; the operator has no other powers. */
export const OPERATOR_ACTIONS: ReadonlySet<ActionName> = new Set(['imvu.suspend', 'imvu.resume', 'quota.change', 'mail.read', 'exit.hold', 'exit.release', 'route.change']);
