/** An SMTP reply as the domain decides it: a basic code and an enhanced status (RFC 3463). */
export interface Refusal {
  readonly ok: false;
  /** 4xx for a temporary failure, 5xx for a permanent refusal. */
  readonly code: number;
  /** The enhanced status code, `class.subject.detail`. */
  readonly status: string;
  readonly text: string;
}

/** An acceptance, with what the caller needs next. */
export interface Acceptance<T> {
  readonly ok: true;
  readonly value: T;
}

/** The outcome of one mail decision. */
export type Verdict<T> = Acceptance<T> | Refusal;

/** A refusal with `code` and enhanced `status`. */
export const refuse = (code: number, status: string, text: string): Refusal => ({ ok: false, code, status, text });

/** An acceptance carrying `value`. */
export const accept = <T>(value: T): Acceptance<T> => ({ ok: true, value });

/** The reply when the decision cannot be made now: the client retries later (RFC 5321 §4.2.5). */
export const TEMPFAIL = refuse(451, '4.3.0', 'mail policy temporarily unavailable; try again later');
