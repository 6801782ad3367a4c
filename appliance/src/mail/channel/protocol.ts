/**
 * The mail decision channel (spec/mail.md): one JSON object per line over a unix socket,
 * each request answered by the reply with its `id`. The Haraka plugin is the only client.
 */

/** AUTH PLAIN/LOGIN credentials. */
export interface AuthRequest { readonly id: number; readonly op: 'auth'; readonly user: string; readonly password: string }
/** MAIL FROM; `from` is '' for the null sender. `user` is the authenticated mailbox, if any. */
export interface MailRequest { readonly id: number; readonly op: 'mail'; readonly user?: string; readonly from: string }
/** RCPT TO. */
export interface RcptRequest { readonly id: number; readonly op: 'rcpt'; readonly user?: string; readonly to: string }
/** After DATA, for authenticated mail: the addresses of the header From. */
export interface DataRequest { readonly id: number; readonly op: 'data'; readonly user: string; readonly from: string; readonly headerFrom: readonly string[] }
/** One message about to be stored or queued: meter it before the client hears 250. */
export interface MeterRequest {
  readonly id: number;
  readonly op: 'meter';
  readonly user?: string;
  /** Haraka's transaction uuid: the idempotency key of the usage events. */
  readonly message: string;
  readonly bytes: number;
  /** SHA-256 (hex) of exactly the bytes stored or queued: the `mail` ledger entry names the message by it. */
  readonly sha256: string;
  /** Mailboxes the message is delivered to (inbound); empty for outbound. */
  readonly recipients: readonly string[];
}

/** Any request. */
export type ChannelRequest = AuthRequest | MailRequest | RcptRequest | DataRequest | MeterRequest;

/** A positive answer, with what the plugin needs next. */
export interface ChannelOk {
  readonly id: number;
  readonly ok: true;
  /** RCPT: the canonical mailbox and its Maildir (absolute). */
  readonly mailbox?: string;
  readonly maildir?: string;
  /** DATA: the domain and selector to DKIM-sign with. */
  readonly dkim?: { readonly domain: string; readonly selector: string };
}

/** A refusal (5xx) or a temporary failure (4xx), as SMTP should say it. */
export interface ChannelRefusal {
  readonly id: number;
  readonly ok: false;
  readonly code: number;
  readonly status: string;
  readonly text: string;
}

/** Any reply. */
export type ChannelReply = ChannelOk | ChannelRefusal;

/** The longest request line the appliance reads; AUTH and header From fit easily. */
export const MAX_LINE = 16 * 1024;
