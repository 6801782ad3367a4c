/**
 * The slices of Haraka's objects this plugin touches (Haraka 3.3.4 ships no types). Kept
 * narrow on purpose: anything not listed here is not relied upon.
 */

/** An address as Haraka parses it; `address` is a property in 3.x. */
export interface HarakaAddress {
  readonly address: string;
  isNull(): boolean;
}

/** Haraka's message stream: the whole message as one buffer. */
export interface MessageStream {
  get_data(cb: (data: Buffer) => void): void;
}

/** The message being received. */
export interface Transaction {
  readonly uuid: string;
  readonly mail_from: HarakaAddress;
  readonly notes: Record<string, unknown>;
  readonly header: { get_all(name: string): string[] };
  readonly message_stream: MessageStream;
  add_leading_header(name: string, value: string): void;
}

/** One SMTP connection. */
export interface Connection {
  readonly client?: { setNoDelay?(on: boolean): unknown };
  readonly tls: { readonly enabled: boolean };
  readonly notes: Record<string, unknown>;
  readonly capabilities: string[];
  readonly transaction?: Transaction;
  logerror(plugin: unknown, msg: string): void;
}

/** The callback every hook must call exactly once. */
export type Next = (code?: number, msg?: unknown) => void;

/** What Haraka binds `this` to in a plugin's functions. */
export interface PluginThis {
  inherits(name: string): void;
  config: { get(name: string, type: 'ini'): { main?: Record<string, string>; outbound?: Record<string, string> } };
  logerror(msg: string): void;
  lognotice(msg: string): void;
}
