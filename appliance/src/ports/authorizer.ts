import type { Role } from '../domain/gates/types.js';

/** What the policy engine is asked: who, which action, on what, with the gates' results. */
export interface AuthzRequest {
  readonly actor: string;
  readonly role: Role;
  readonly action: string;
  readonly resource: string;
  readonly imvu?: string;
  /** Gate number to outcome, e.g. { "1": "pass", "12": "fail" }. */
  readonly gates: Readonly<Record<string, 'pass' | 'fail' | 'not_applicable'>>;
  readonly hasReason: boolean;
}

/** The policy engine's answer and the ids of the policies that decided it. */
export interface AuthzAnswer {
  readonly decision: 'allow' | 'deny';
  /** Ids of the determining policies (empty on a default deny). */
  readonly policies: readonly string[];
  /** Evaluation errors; any error means deny. */
  readonly errors: readonly string[];
}

/** Authorization behind a port, so the domain stays pure and the engine can be swapped. */
export interface Authorizer {
  /** SHA-256 (hex) of the exact policy set and schema in force. */
  readonly policyDigest: string;
  authorize(req: AuthzRequest): AuthzAnswer;
}
