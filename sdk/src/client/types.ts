import type { Static } from '@sinclair/typebox';
import type { API_SCHEMAS, CreateImvuRequest, RegisterIdentityRequest } from '../schemas/api.js';

// Request bodies are the API's own wire schemas (sdk/src/schemas/api.ts), named for the client.

/** `POST /v1/identities`: the request's signature by the new key is its proof of possession. */
export type RegisterIdentityBody = RegisterIdentityRequest;

/** `POST /v1/imvus`: the signer becomes the owner. */
export type CreateImvuBody = CreateImvuRequest;

/** `PATCH /v1/imvus/:id`. */
export type UpdateImvuBody = Static<typeof API_SCHEMAS.UpdateImvu>;

/** One component's state as `/healthz` reports it. */
export interface ComponentHealth {
  /** `ok`, `starting`, `restarting`, `stopped`, `down`, `external` (managed outside), `absent` (not installed). */
  readonly status: string;
  readonly detail?: string;
  readonly pid?: number;
  readonly restarts?: number;
  readonly lastExit?: { readonly code: number | null; readonly signal: string | null; readonly at: string };
}

/** The body of `GET /healthz`: overall status and one entry per component (ledger, knot, haraka). */
export interface HealthReport {
  readonly status: 'ok' | 'degraded' | 'down';
  readonly components: Readonly<Record<string, ComponentHealth>>;
  /** The appliance's platform key (did:key), when it reports one. */
  readonly platformKey?: string;
}
