// Exit bundles (spec/exit-bundle.md): the streaming writer and the offline verifier.
export { packBundle, bytesSource, type BundleSource } from './pack.js';
export { verifyExitBundle, type VerifiedBundle } from './verify-bundle.js';
export { readMembers, type Member } from './read.js';
export {
  MANIFEST_PATH, TRUSTED_ROOT_PATH, RECORD_PATH, CHAIN_PATH, HEAD_PROOF_PATH, INCLUSION_PATH, CONSISTENCY_PATH, DOCUMENTS_DIR,
  zoneStatePath, isBundlePath,
} from './layout.js';
