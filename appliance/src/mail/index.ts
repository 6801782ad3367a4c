/** Mail on the appliance: the decision channel, provisioning, DKIM keys and export. */
export { MailAuthority, type MailAuthorityDeps } from './authority.js';
export { MailChannelServer } from './channel/server.js';
export type { ChannelReply, ChannelRequest } from './channel/protocol.js';
export { hashPassword, verifyPassword } from './credentials.js';
export { generateDkimKey, writeDkimKey, type DkimKey } from './dkim-key.js';
export { DnsPortPublisher } from './dns-publisher.js';
export { exportMailbox, mboxrdEntry, type MailboxExport } from './export.js';
export { MailProvisioning, type MailProvisioningDeps } from './provisioning.js';
export { mailPaths } from './paths.js';
export { ensureMailTls, type MailTls } from './tls.js';
export { harakaMailSettings, mailHost } from './haraka-settings.js';
