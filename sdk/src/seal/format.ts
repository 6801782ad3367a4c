import { utf8 } from '../encoding/utf8.js';

/** The first line of every sealed file (spec/exit-bundle.md §5). */
export const SEALED_MAGIC = utf8('nexus-cos-sealed-v1\n');
/** The HKDF info prefix; the member path follows it. */
export const SEALED_INFO = utf8('nexus-cos/seal/v1');
/** Lengths fixed by the format. */
export const SEALED = { ephemeral: 32, tag: 16, key: 32, nonce: 12 } as const;
/** The smallest well-formed sealed file: magic, E and a tag over an empty plaintext. */
export const SEALED_MIN = SEALED_MAGIC.length + SEALED.ephemeral + SEALED.tag;
/** The media type of a sealed member in the bundle manifest. */
export const SEALED_MEDIA_TYPE = 'application/vnd.nexus-cos.sealed.v1';
