import t from 'tap';
import { Resolver } from 'node:dns/promises';
import { dkimVerify } from 'mailauth';
import nodemailer from 'nodemailer';
import { DnsPortPublisher } from '../../../appliance/src/mail/index.js';
import { eventually } from '../../helpers/ports.js';
import { startKnot, type PrivateKnot } from '../dns/knotd.js';
import { startMailRig, type MailRig } from './harness.js';
import { PW, seed } from './seed.js';

// Enabling mail publishes MX, SPF, DKIM and DMARC in a real Knot (through the Dns port's
// Knot adapter); mail sent through the real Haraka is DKIM-signed, and mailauth verifies it
// with the key it resolves from that Knot over the network.
const ZONE = { nameservers: ['ns1.example.net', 'ns2.example.net'], soaEmail: 'hostmaster@example.net' };
let knot: PrivateKnot;
let rig: MailRig;
t.before(async () => {
  knot = await startKnot();
  for (const z of ['example.org', 'other.example']) await knot.dns.createZone(z, ZONE);
  rig = await startMailRig({ publisher: new DnsPortPublisher(knot.dns) });
  await seed(rig);
});
t.teardown(async () => {
  await rig.stop();
  await knot.stop();
});

/** mailauth's resolver, asking the private knotd. */
function knotResolver() {
  const r = new Resolver({ timeout: 2000, tries: 2 });
  r.setServers([`127.0.0.1:${knot.port}`]);
  return (name: string, type: string) => r.resolve(name, type) as Promise<string[][] | string[]>;
}

t.test('mail records are served by Knot once mail is enabled', async (t) => {
  const selector = rig.directory.selector('example.org');
  t.match(selector, /^nx\d{8}$/, 'a dated selector');
  t.same(await knot.dig('example.org', 'MX'), ['10 mx.example.net.']);
  t.same(await knot.dig('example.org', 'TXT'), ['"v=spf1 mx -all"']);
  t.same(await knot.dig('_dmarc.example.org', 'TXT'), ['"v=DMARC1; p=reject; adkim=s; aspf=s"']);
  const dkim = (await knot.dig(`${selector}._domainkey.example.org`, 'TXT')).join('');
  t.match(dkim, /^"v=DKIM1; k=rsa; p=MIIBIjAN/, 'the RSA-2048 public key, split into 255-byte strings');
});

t.test('outbound mail verifies with mailauth; altering the body or a signed header fails it', async (t) => {
  const tx = nodemailer.createTransport({ host: '127.0.0.1', port: rig.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, auth: { user: 'alice@example.org', pass: PW.alice } });
  t.teardown(() => tx.close());
  await tx.sendMail({ from: 'Alice <alice@example.org>', to: 'dave@remote.test', subject: 'signed hello', text: 'the body we sign\n' });
  const got = await eventually(() => rig.remote.find((m) => m.data.includes('signed hello')), 15_000);
  t.ok(got, 'the remote MX received it');
  if (got === undefined) return;
  const resolver = knotResolver();
  const verify = async (data: Buffer) => (await dkimVerify(data, { resolver })).results.map((r) => ({ result: r.status.result, domain: r.signingDomain, comment: r.status.comment ?? '' }));
  t.same(await verify(got.data), [{ result: 'pass', domain: 'example.org', comment: '' }], 'pass, as signed by example.org');
  const text = got.data.toString('utf8');
  const body = Buffer.from(text.replace('the body we sign', 'the body we changed'));
  t.not(body.toString(), text, 'the body was altered');
  // mailauth reports a body-hash mismatch as `neutral` ("body hash did not verify"), its
  // word for a signature that fails before the key is even fetched; either way, no pass.
  t.same(await verify(body), [{ result: 'neutral', domain: 'example.org', comment: 'body hash did not verify' }], 'an altered body fails its body hash');
  const subject = Buffer.from(text.replace('Subject: signed hello', 'Subject: signed hellO'));
  t.same(await verify(subject), [{ result: 'fail', domain: 'example.org', comment: 'bad signature' }], 'an altered signed header fails the signature');
});
