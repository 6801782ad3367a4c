export { sealToOwner, openSealed } from './seal.js';
export { SEALED_MAGIC, SEALED_MEDIA_TYPE } from './format.js';
