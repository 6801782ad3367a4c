// Exit bundles (spec/exit-bundle.md): the streaming writer and the offline verifier.
export { packBundle, bytesSource, type BundleSource } from './pack.js';
export { verifyExitBundle, type VerifiedBundle, type VerifyBundleOptions } from './verify-bundle.js';
export { readMembers, type Member, type ByteSource, type MemberSink } from './read.js';
export {
  MANIFEST_PATH, TRUSTED_ROOT_PATH, RECORD_PATH, CHAIN_PATH, HEAD_PROOF_PATH, INCLUSION_PATH, CONSISTENCY_PATH, DOCUMENTS_DIR,
  zoneStatePath, isBundlePath,
} from './layout.js';
export {
  MAILBOX_STATE_MEDIA_TYPE, MBOX_MEDIA_TYPE, MAIL_MESSAGE_MEDIA_TYPE, mailboxDir, sortMessages, maildirMemberName, maildirNameOf, storesMessage,
  type MailboxMessage, type MailboxState,
} from './mail-layout.js';
export { mboxrdEntry, readMbox } from './mboxrd.js';
