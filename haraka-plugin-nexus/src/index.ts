/**
 * haraka-plugin-nexus: identity-bound mail (gate 8). Every decision is asked of the
 * appliance over its decision channel (spec/mail.md); this file only turns SMTP events into
 * questions and answers into SMTP replies. Every hook is guarded: an internal error or an
 * unreachable appliance is a 4xx tempfail, never an accept.
 */
import { createHash } from 'node:crypto';
import { parseFrom } from '@haraka/email-address';
import constants from 'haraka-constants';
import { ChannelClient } from './channel.js';
import { dkimSignature } from './dkim.js';
import type { Connection, HarakaAddress, PluginThis, Transaction } from './haraka.js';
import { guarded } from './hooks.js';
import { commit, discard, stage, type Staged } from './maildir.js';
import { refusal } from './reply.js';
import { readSettings, type Settings } from './settings.js';

let settings: Settings | undefined;
let client: ChannelClient | undefined;

const USER = 'nexus_user';
const BOXES = 'nexus_boxes';
const DKIM = 'nexus_dkim';

function ready(): { settings: Settings; client: ChannelClient } {
  if (settings === undefined || client === undefined) throw new Error('haraka-plugin-nexus is not registered');
  return { settings, client };
}

/** The authenticated mailbox of this connection, if any. */
const userOf = (c: Connection): string | undefined => (typeof c.notes[USER] === 'string' ? (c.notes[USER] as string) : undefined);

function txn(c: Connection): Transaction {
  if (c.transaction === undefined) throw new Error('no transaction');
  return c.transaction;
}

const bodyOf = (t: Transaction): Promise<Buffer> => new Promise((resolve) => t.message_stream.get_data(resolve));

/** Loads nexus.ini and inherits SMTP AUTH from Haraka's auth_base (we supply the check). */
export function register(this: PluginThis): void {
  this.inherits('auth/auth_base');
  settings = readSettings(this.config.get('nexus.ini', 'ini'));
  client?.close();
  client = new ChannelClient(settings.socket, settings.timeoutMs);
}

/** Haraka never sets TCP_NODELAY; without it each pipelined reply waits ~40 ms (Nagle). */
export const hook_connect_init = guarded('connect_init', function (next, connection: Connection) {
  connection.client?.setNoDelay?.(true);
  next();
});

/** AUTH PLAIN and LOGIN only, and only under TLS: the password is checked against a hash. */
export const hook_capabilities = guarded('capabilities', function (next, connection: Connection) {
  if (connection.tls.enabled) {
    connection.capabilities.push('AUTH PLAIN LOGIN');
    connection.notes.allowed_auth_methods = ['PLAIN', 'LOGIN'];
  }
  next();
});

/** auth_base's password check, answered by the appliance (which alone holds the hashes). */
export function check_plain_passwd(this: PluginThis, connection: Connection, user: string, password: string, cb: (ok: boolean, opts?: { code: number; message: string }) => void): void {
  const answer = (ok: boolean, opts?: { code: number; message: string }) => {
    if (ok) connection.notes[USER] = user;
    if (opts === undefined) cb(ok);
    else cb(ok, opts);
  };
  ready().client.ask({ op: 'auth', user, password }).then(
    (r) => (r.ok ? answer(true) : r.code >= 500 ? answer(false) : answer(false, { code: 454, message: '4.7.0 Temporary authentication failure' })),
    () => answer(false, { code: 454, message: '4.7.0 Temporary authentication failure' }),
  );
}

export const hook_mail = guarded('mail', async function (next, connection: Connection, params: [HarakaAddress]) {
  const from = params[0].isNull() ? '' : params[0].address;
  const user = userOf(connection);
  const r = await ready().client.ask({ op: 'mail', from, ...(user === undefined ? {} : { user }) });
  if (r.ok) next();
  else next(...refusal(r));
});

export const hook_rcpt = guarded('rcpt', async function (next, connection: Connection, params: [HarakaAddress]) {
  const user = userOf(connection);
  const r = await ready().client.ask({ op: 'rcpt', to: params[0].address, ...(user === undefined ? {} : { user }) });
  if (!r.ok) return next(...refusal(r));
  if (r.mailbox !== undefined && r.maildir !== undefined) {
    const t = txn(connection);
    const boxes = (t.notes[BOXES] as { mailbox: string; maildir: string }[] | undefined) ?? [];
    // Two spellings of one mailbox (alice+a@, alice+b@) deliver one copy.
    if (!boxes.some((b) => b.mailbox === r.mailbox)) boxes.push({ mailbox: r.mailbox, maildir: r.maildir });
    t.notes[BOXES] = boxes;
  }
  next(constants.ok);
});

/** The header From of authenticated mail must be the authenticated mailbox, like MAIL FROM. */
export const hook_data_post = guarded('data_post', async function (next, connection: Connection) {
  const user = userOf(connection);
  if (user === undefined) return next();
  const t = txn(connection);
  const headerFrom = t.header.get_all('From').flatMap((v) => fromAddresses(v));
  const r = await ready().client.ask({ op: 'data', user, from: t.mail_from.address, headerFrom });
  if (!r.ok) return next(...refusal(r));
  t.notes[DKIM] = r.dkim;
  next();
});

/** The addresses of one From header; a group or an unparseable value counts as '' (refused). */
function fromAddresses(value: string): string[] {
  try {
    return parseFrom(value.trim()).map((a) => ('address' in a && typeof a.address === 'string' ? a.address : ''));
  } catch {
    return [''];
  }
}

/** The digest the `mail` ledger entry records: of exactly the bytes each Maildir stores. */
function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Inbound: stage in every Maildir, meter (durable), then make it visible; or none of it. */
export const hook_queue = guarded('queue', async function (next, connection: Connection) {
  const t = txn(connection);
  const boxes = (t.notes[BOXES] as { mailbox: string; maildir: string }[] | undefined) ?? [];
  if (boxes.length === 0) throw new Error('no local recipient on an inbound message');
  const data = await bodyOf(t);
  const staged: Staged[] = [];
  try {
    for (const b of boxes) staged.push(await stage(b.maildir, data));
    const r = await ready().client.ask({ op: 'meter', message: t.uuid, bytes: data.length, sha256: sha256Hex(data), recipients: boxes.map((b) => b.mailbox) });
    if (!r.ok) {
      await discard(staged);
      return next(...refusal(r));
    }
    await commit(staged);
  } catch (err) {
    await discard(staged);
    throw err;
  }
  next(constants.ok, 'Message stored');
});

/** Authenticated: DKIM-sign, meter (durable), then let Haraka's outbound queue deliver it. */
export const hook_queue_outbound = guarded('queue_outbound', async function (next, connection: Connection) {
  const { settings: s, client: c } = ready();
  const user = userOf(connection);
  const t = txn(connection);
  const dkim = t.notes[DKIM] as { domain: string; selector: string } | undefined;
  if (user === undefined || dkim === undefined) throw new Error('outbound mail without an authenticated, checked sender');
  const data = await bodyOf(t);
  const signature = await dkimSignature(data, s.dkimDir, dkim.domain, dkim.selector);
  const r = await c.ask({ op: 'meter', user, message: t.uuid, bytes: data.length, sha256: sha256Hex(data), recipients: [] });
  if (!r.ok) return next(...refusal(r));
  t.add_leading_header('DKIM-Signature', signature);
  next();
});

/** A fixed next hop when configured (tests; a smarthost), else Haraka's own MX lookup. */
export const hook_get_mx = guarded('get_mx', function (next) {
  const relay = ready().settings.relay;
  if (relay === undefined) return next();
  next(constants.ok, { exchange: relay.host, port: relay.port, priority: 0 });
});

export function shutdown(): void {
  client?.close();
}
