export { toBase64, fromBase64, toBase64Url, fromBase64Url } from './base64.js';
export { toHex, fromHex } from './hex.js';
export { toBase58, fromBase58 } from './base58.js';
export { utf8, fromUtf8, bytesEqual, concatBytes } from './utf8.js';
export { canonicalize, canonicalBytes } from './canonical-json.js';
