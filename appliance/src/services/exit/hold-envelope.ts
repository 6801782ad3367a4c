import {
  LEGAL_HOLD_MEDIA_TYPE, PublicKey, TrustedKeys, assertLegalHoldV1, canonicalBytes, openJsonEnvelope, sha256, toHex,
} from '@nexus-cos/sdk';

/** A LegalHold that verified: its reason, and its envelope's exact bytes and digest. */
export interface OpenedHold {
  readonly reason: string;
  readonly bytes: Uint8Array;
  readonly digest: string;
}

/**
 * Opens a LegalHold envelope signed by `signer` for `imvu`. Anything else (another signer,
 * another IMVU, a bad shape) yields undefined: gate 15 then refuses the hold as unsigned
 * and the refusal is logged, rather than an error answered before the gates.
 */
export function openHold(envelope: unknown, signer: string, imvu: string): OpenedHold | undefined {
  try {
    const { value } = openJsonEnvelope(envelope, { trusted: new TrustedKeys([PublicKey.fromDid(signer)]), payloadType: LEGAL_HOLD_MEDIA_TYPE });
    assertLegalHoldV1(value);
    if (value.imvu !== imvu || value.reason.trim() === '') return undefined;
    const bytes = canonicalBytes(envelope);
    return { reason: value.reason, bytes, digest: toHex(sha256(bytes)) };
  } catch {
    return undefined;
  }
}
