import { Type, type Static } from '@sinclair/typebox';
import { ImvuId, Sha256Hex, assertSchema } from './common.js';

/** A VM the import defined on B, and whether it was started (`error`: the start's code). */
export const ImportedVmState = Type.Object(
  { name: Type.String(), state: Type.Union([Type.Literal('running'), Type.Literal('defined')]), error: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
export type ImportedVmState = Static<typeof ImportedVmState>;

/** What `POST /v1/imports` answers (spec/exit-bundle.md §8): what the import re-instantiated. */
export const ImportReport = Type.Object(
  {
    imvu: ImvuId,
    /** `bundled`: the appliance verified against the bundle's own trusted root. */
    trust: Type.Union([Type.Literal('given'), Type.Literal('bundled')]),
    /** Entries of the imported chain that were verified, up to the anchored head. */
    entries: Type.Integer({ minimum: 1 }),
    zones: Type.Array(Type.String()),
    policies: Type.Object({ same: Type.Array(Type.String()), differ: Type.Array(Type.String()) }, { additionalProperties: false }),
    /** The new chain's first entry: the platform-signed link to the old anchor. */
    link: Type.Object({ seq: Type.Integer({ minimum: 0 }), hash: Sha256Hex }, { additionalProperties: false }),
    /** Mailboxes re-instantiated with their messages (absent from an appliance before mail import). */
    mailboxes: Type.Optional(Type.Array(Type.String())),
    /** VMs re-instantiated with their disks, then started (absent from an appliance before compute import). */
    vms: Type.Optional(Type.Array(ImportedVmState)),
    /** The IMVU's network, re-created with its declared rules read back equal (absent when the bundle has none). */
    network: Type.Optional(Type.Object({ name: Type.String(), declared: Sha256Hex }, { additionalProperties: false })),
    /**
     * Each zone's DNSSEC keys: `kept` (the bundle's sealed keys, so the DS at the parent still
     * validates) or `new` (the bundle carried none: publish `ds` at the parent). Absent from an
     * appliance before DNSSEC import.
     */
    dnssec: Type.Optional(Type.Array(Type.Object(
      { zone: Type.String(), keys: Type.Union([Type.Literal('kept'), Type.Literal('new')]), ds: Type.Array(Type.String()) },
      { additionalProperties: false },
    ))),
  },
  { additionalProperties: false, $id: 'ImportReport', title: 'Import report v1' },
);
export type ImportReport = Static<typeof ImportReport>;

/** Asserts an import report (the client checks the appliance's answer). */
export function assertImportReportV1(x: unknown): asserts x is ImportReport {
  assertSchema(ImportReport, x);
}
