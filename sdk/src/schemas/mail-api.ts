import { Type, type Static } from '@sinclair/typebox';
import { DidKey, ImvuId } from './common.js';
import { DomainName } from './imvu.js';

const closed = { additionalProperties: false } as const;

/** `POST /v1/imvus/:id/mail/:domain`: enable mail for a bound domain (gate 8). */
const MailDomainParams = Type.Object({ id: ImvuId, domain: DomainName }, closed);
const MailEnabled = Type.Object({ domain: DomainName, selector: Type.String({ minLength: 1, maxLength: 63 }) }, closed);
/** `POST /v1/imvus/:id/mailboxes`: the password is stored only as a scrypt hash. */
const CreateMailbox = Type.Object({ address: Type.String({ minLength: 3, maxLength: 254 }), password: Type.String({ minLength: 12, maxLength: 1024 }) }, closed);
const Mailbox = Type.Object({ address: Type.String(), imvu: ImvuId, identity: DidKey }, closed);

/** The mail API's wire schemas by name. */
export const MAIL_API_SCHEMAS = { MailDomainParams, MailEnabled, CreateMailbox, Mailbox } as const;
export type MailEnabled = Static<typeof MailEnabled>;
export type MailboxView = Static<typeof Mailbox>;
