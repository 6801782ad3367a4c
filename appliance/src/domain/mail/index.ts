export { formatAddress, isMailboxLocal, parseMailboxAddress, recipientMailbox, splitAddress, type MailAddress } from './address.js';
export { decideHeaderFrom, decideRecipient, decideSender } from './decide.js';
export type { MailDomain, MailLookup, Mailbox } from './directory.js';
export { judgeGate8, sendBound, type MailFacts } from './identity.js';
export { DMARC, SPF, mailRecords, publishedFlags, txt, type MailRecordInput } from './records.js';
export { TEMPFAIL, accept, refuse, type Acceptance, type Refusal, type Verdict } from './reply.js';
export { undoChange } from './undo.js';
