import { Type, type Static } from '@sinclair/typebox';

const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\-\\[\\]]+$' });
const Service = (port: number) => Type.Object(
  {
    /** false: run elsewhere (a system service); we only report it as `external`. */
    managed: Type.Boolean({ default: true }),
    host: Host,
    port: { ...Port, default: port },
  },
  { additionalProperties: false },
);

/**
 * The appliance's settings. `config.json` in the data directory holds any of them; the
 * environment (`NEXUS_COS_*`) and flags override it. Everything has a default that works
 * except the log origin, which `init` chooses once: it names the ledger for good.
 */
export const ApplianceConfig = Type.Object(
  {
    dataDir: Type.String({ minLength: 1 }),
    http: Type.Object({ host: Host, port: Port, bodyLimit: Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024 }) }, { additionalProperties: false }),
    log: Type.Object({ level: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))) }, { additionalProperties: false }),
    ledger: Type.Object({ origin: Type.String({ minLength: 1, maxLength: 256, pattern: '^[\\x21-\\x7e]+$' }) }, { additionalProperties: false }),
    /** did:keys allowed to act as operator (suspend, quotas). */
    operators: Type.Array(Type.String({ pattern: '^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{44}$' }), { maxItems: 64, uniqueItems: true }),
    /** Storage pool name to jurisdiction tag (gate 14). */
    storagePools: Type.Record(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' }), Type.String({ pattern: '^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$' })),
    knot: Service(5300),
    haraka: Service(2525),
    /** Hosted zones' SOA and NS, and the public resolvers a domain claim is checked against (gate 6). */
    dns: Type.Object(
      {
        /** `host` or `host:port` (IPv6 as `[addr]:port`); empty: the system's resolvers. */
        resolvers: Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Fa-f.:\\[\\]]+$' }), { maxItems: 8 }),
        nameservers: Type.Array(Type.String({ minLength: 1, maxLength: 253, pattern: '^[a-z0-9.-]+$' }), { minItems: 1, maxItems: 13 }),
        soaEmail: Type.String({ minLength: 3, maxLength: 254, pattern: '^[a-z0-9-]+@[a-z0-9.-]+$' }),
      },
      { additionalProperties: false },
    ),
    /** VMs on libvirt (issue 8); absent: the appliance runs no VMs. */
    compute: Type.Optional(Type.Object(
      {
        uri: Type.String({ pattern: '^(qemu|test):///[a-z/]*$' }),
        /** `qemu` (TCG) unless the host has working KVM. */
        domainType: Type.Union([Type.Literal('qemu'), Type.Literal('kvm')]),
        /** How often usage is sampled into signed events. */
        meterIntervalMs: Type.Integer({ minimum: 1000, maximum: 3_600_000 }),
        /** The image catalog specs name: a kernel and initramfs, or a base qcow2 disk. */
        images: Type.Record(Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,62}$' }), Type.Union([
          Type.Object({ kind: Type.Literal('kernel'), kernel: Type.String({ pattern: '^/' }), initrd: Type.String({ pattern: '^/' }), cmdline: Type.String({ maxLength: 1024 }) }, { additionalProperties: false }),
          Type.Object({ kind: Type.Literal('disk'), base: Type.String({ pattern: '^/' }) }, { additionalProperties: false }),
        ])),
      },
      { additionalProperties: false },
    )),
  },
  { additionalProperties: false },
);
export type ApplianceConfig = Static<typeof ApplianceConfig>;

/** Defaults for everything but the data directory and the origin. */
export const DEFAULTS = {
  http: { host: '127.0.0.1', port: 8080, bodyLimit: 1024 * 1024 },
  log: { level: 'info' },
  operators: [],
  storagePools: {},
  knot: { managed: true, host: '127.0.0.1', port: 5300 },
  haraka: { managed: true, host: '127.0.0.1', port: 2525 },
  // `.invalid` (RFC 6761) until the operator names the appliance's real name servers.
  dns: { resolvers: [], nameservers: ['ns1.nexus-cos.invalid'], soaEmail: 'hostmaster@nexus-cos.invalid' },
} as const;

/** The files inside a data directory. */
export const dataFiles = (dataDir: string) => ({
  config: `${dataDir}/config.json`,
  key: `${dataDir}/platform.key`,
  ledger: `${dataDir}/ledger.sqlite`,
  registry: `${dataDir}/registry.sqlite`,
  nonces: `${dataDir}/nonces.sqlite`,
  domains: `${dataDir}/domains.sqlite`,
});
