// The guest-side and host-side halves of a TCP reachability check for tiny VMs: the guest's
// /init tries each port with busybox nc and prints what happened to its serial console;
// host listeners record which connections really arrived.
import { createServer, type Server } from 'node:net';

/** Shell lines for /init: one `nc` try per port, printing NEXUS-TCP-<port>=open|closed. */
export function probeTcp(ip: string, ports: readonly number[]): string {
  return ports.map((p) => `if echo from-guest | nc -w 3 ${ip} ${p}; then echo NEXUS-TCP-${p}=open; else echo NEXUS-TCP-${p}=closed; fi`).join('\n');
}

/** Listens on `ip`:`port`; each connection's first line is pushed to `seen` as `<port>:<line>`. */
export function listen(ip: string, port: number, seen: string[]): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer((sock) => {
      sock.once('data', (b) => {
        seen.push(`${port}:${b.toString().trim()}`);
        sock.end();
      });
    });
    srv.once('error', reject);
    srv.listen(port, ip, () => resolve(srv));
  });
}
