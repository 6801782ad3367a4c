/** A mailbox as mail decisions see it: its canonical address and whom it is bound to. */
export interface Mailbox {
  /** Canonical `local@domain` (see address.ts). */
  readonly address: string;
  readonly imvu: string;
  /** did:key of the identity the mailbox is bound to: who is billed and who may send as it. */
  readonly identity: string;
}

/** A domain bound to an IMVU; `enabled` once its DKIM key and mail records are published. */
export interface MailDomain {
  readonly domain: string;
  readonly imvu: string;
  readonly enabled: boolean;
}

/** The lookups mail decisions read; names are given canonical (lower-case domain). */
export interface MailLookup {
  domain(name: string): MailDomain | undefined;
  mailbox(address: string): Mailbox | undefined;
}
