// The load generator of mail.throughput, run as its own process (as a real client is), so
// the appliance's synchronous ledger commits in the bench process never stall the client.
// Usage: tsx bench/mail-client.ts PORT N CONNECTIONS; prints messages per second.
import nodemailer from 'nodemailer';

const [port, n, connections] = process.argv.slice(2).map(Number) as [number, number, number];
const tx = nodemailer.createTransport({ pool: true, maxConnections: connections, maxMessages: Infinity, host: '127.0.0.1', port, secure: false, ignoreTLS: true });
const send = (i: number) => tx.sendMail({ from: 'sender@remote.test', to: 'bob@example.org', subject: `bench ${i}`, text: `message ${i}\n`.repeat(20) });
await Promise.all(Array.from({ length: 2 * connections }, (_, i) => send(i)));
const start = process.hrtime.bigint();
await Promise.all(Array.from({ length: n }, (_, i) => send(i)));
process.stdout.write(`${(n * 1e9) / Number(process.hrtime.bigint() - start)}\n`);
tx.close();
