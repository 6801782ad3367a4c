// The two Haraka packages we use ship no types; these are the parts we call.
declare module 'haraka-dsn' {
  /** An SMTP reply with an enhanced status code; Haraka answers with its `code`. */
  export default class DSN {
    static create(code: number, msg: string, subject: number, detail: number): DSN;
    readonly code: number;
    readonly reply: string;
  }
}
declare module 'haraka-constants' {
  const constants: { readonly ok: number; readonly cont: number; readonly deny: number; readonly denysoft: number };
  export default constants;
}
