import { Type, type Static } from '@sinclair/typebox';
import { ImvuId, Sha256Hex, Timestamp, UIntString, assertSchema } from './common.js';
import { SignedNoteText } from './merkle.js';

/** Media type of an exit bundle manifest; the manifest names it in its own `mediaType`. */
export const EXIT_BUNDLE_MANIFEST_MEDIA_TYPE = 'application/vnd.nexus-cos.exit-bundle-manifest.v1+json';

/**
 * A relative POSIX path inside the bundle. No segment may start with a dot, which rules out
 * `.`, `..` and hidden files at once; no leading `/`, no empty segment, no backslash. An
 * extractor can therefore join it under its target directory without resolving anything.
 */
export const BundlePath = Type.String({
  pattern: '^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}(?:/[A-Za-z0-9_-][A-Za-z0-9._-]{0,127})*$',
  maxLength: 1024,
});

/** A media type such as `application/json` or `message/rfc822`. */
export const MediaType = Type.String({ pattern: '^[a-z]+/[a-z0-9][a-z0-9.+-]*$', maxLength: 255 });

/** One file of the bundle, pinned by size and digest. */
export const BundleFile = Type.Object(
  { path: BundlePath, size: UIntString, sha256: Sha256Hex, mediaType: MediaType },
  { additionalProperties: false },
);
export type BundleFile = Static<typeof BundleFile>;

/** What the bundle is anchored to: a signed checkpoint that commits this IMVU's chain head. */
export const BundleAnchor = Type.Object(
  {
    checkpoint: SignedNoteText,
    treeSize: UIntString,
    imvuHead: Type.Object({ seq: UIntString, head: Sha256Hex }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type BundleAnchor = Static<typeof BundleAnchor>;

/**
 * The manifest of one IMVU's exit bundle. Path uniqueness and the files themselves are
 * checked by the offline verifier; the schema only fixes their shape.
 */
export const ExitBundleManifest = Type.Object(
  {
    mediaType: Type.Literal(EXIT_BUNDLE_MANIFEST_MEDIA_TYPE),
    imvu: ImvuId,
    createdAt: Timestamp,
    files: Type.Array(BundleFile, { minItems: 1, maxItems: 1_000_000 }),
    anchor: BundleAnchor,
  },
  { additionalProperties: false, $id: 'ExitBundleManifest', title: 'Exit bundle manifest v1' },
);
export type ExitBundleManifest = Static<typeof ExitBundleManifest>;

/** Asserts `x` is an ExitBundleManifest v1, without changing it. */
export function assertExitBundleManifestV1(x: unknown): asserts x is ExitBundleManifest {
  assertSchema(ExitBundleManifest, x, 'PAYLOAD_INVALID');
}
