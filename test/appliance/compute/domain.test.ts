// Pure compute and network rules: names, specs, quotas, XML, meter arithmetic, firewall model.
import fc from 'fast-check';
import t from 'tap';
import { advance, startCursor, type Cursor, type Sample } from '../../../appliance/src/domain/compute/meter.js';
import { hostName, imvuSlug } from '../../../appliance/src/domain/compute/names.js';
import { headroom, usage } from '../../../appliance/src/domain/compute/quota.js';
import { parseVmSpec } from '../../../appliance/src/domain/compute/spec.js';
import { domainXml, esc } from '../../../appliance/src/domain/compute/xml.js';
import { networkNames } from '../../../appliance/src/domain/network/names.js';
import { chains, drift, parseListing } from '../../../appliance/src/domain/network/nft.js';
import { parsePolicy } from '../../../appliance/src/domain/network/policy.js';
import { portable } from '../../../appliance/src/adapters/libvirt/portable-xml.js';
import { throwsCode } from '../../helpers/codes.js';
import { isNexusError } from '../../../sdk/src/errors/index.js';

const SPEC = { name: 'web1', vcpus: 1, memoryMiB: 128, diskGiB: 1, image: 'tiny' };

function field(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isNexusError(e) ? `${e.code} ${e.field ?? ''}` : 'not a NexusError';
  }
  return undefined;
}

t.test('only strict names reach libvirt', async (t) => {
  t.equal(hostName('IMVU-042', 'web1'), 'imvu-042-web1');
  t.equal(imvuSlug('IMVU-1234'), 'imvu-1234');
  for (const bad of ['Web1', '1web', 'web-1', 'a'.repeat(17), 'web1;rm', '../x', '']) throwsCode(t, () => hostName('IMVU-042', bad), 'INPUT_INVALID', `refuses ${JSON.stringify(bad)}`);
  throwsCode(t, () => hostName('imvu-042', 'web1'), 'INPUT_INVALID', 'refuses a malformed IMVU id');
});

t.test('a VM spec is checked field by field, never repaired', async (t) => {
  t.same(parseVmSpec(SPEC), SPEC);
  t.equal(field(() => parseVmSpec({ ...SPEC, vcpus: 0 })), 'INPUT_INVALID /vcpus');
  t.equal(field(() => parseVmSpec({ ...SPEC, vcpus: 1.5 })), 'INPUT_INVALID /vcpus');
  t.equal(field(() => parseVmSpec({ ...SPEC, memoryMiB: '128' })), 'INPUT_INVALID /memoryMiB');
  t.equal(field(() => parseVmSpec({ ...SPEC, diskGiB: 5000 })), 'INPUT_INVALID /diskGiB');
  t.equal(field(() => parseVmSpec({ ...SPEC, image: '../etc/passwd' })), 'INPUT_INVALID /image');
  t.equal(field(() => parseVmSpec({ ...SPEC, name: 'x y' })), 'INPUT_INVALID /name');
  t.equal(field(() => parseVmSpec({ ...SPEC, cpu: 2 })), 'INPUT_INVALID /cpu');
});

t.test('headroom is the quota less what existing VMs hold', async (t) => {
  const used = usage([{ vcpus: 2, memoryMiB: 1024, diskGiB: 10 }, { vcpus: 1, memoryMiB: 512, diskGiB: 5 }]);
  t.same(used, { vcpus: 3, memoryMiB: 1536, diskGiB: 15, vms: 2 });
  t.same(headroom({ vcpus: 4, memoryMiB: 2048, diskGiB: 100, vms: 2 }, used), { vcpus: 1, memoryMiB: 512, diskGiB: 85, vms: 0 });
  t.same(headroom({ vcpus: 1, memoryMiB: 1, diskGiB: 1, vms: 1 }, used), { vcpus: 0, memoryMiB: 0, diskGiB: 0, vms: 0 }, 'never negative');
});

t.test('domain XML escapes every value and carries the declared sizes', async (t) => {
  t.equal(esc(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  const xml = domainXml({ name: 'imvu-042-web1', type: 'qemu', spec: { ...SPEC, vcpus: 2 }, disk: '/p/d&<.qcow2', serialLog: '/c/s.log',
    boot: { kind: 'kernel', kernel: '/k', initrd: '/i', cmdline: 'console=ttyS0 x="<y>"' }, network: 'nx-imvu-042' });
  t.match(xml, /<domain type="qemu">/);
  t.match(xml, /<vcpu>2<\/vcpu>/);
  t.match(xml, /<memory unit="MiB">128<\/memory>/);
  t.match(xml, /source file="\/p\/d&amp;&lt;.qcow2"/);
  t.match(xml, /<cmdline>console=ttyS0 x=&quot;&lt;y&gt;&quot;<\/cmdline>/);
  t.match(xml, /<source network="nx-imvu-042"\/>/);
  throwsCode(t, () => domainXml({ name: 'evil</name>', type: 'qemu', spec: SPEC, disk: '/d', serialLog: '/s', boot: { kind: 'disk' } }), 'INPUT_INVALID');
});

t.test('portable XML drops what belongs to this host', async (t) => {
  const live = `<domain type='qemu' id='7'><name>imvu-042-web1</name><uuid>2f0e1c3a-0000-4000-8000-000000000001</uuid><memory unit='KiB'>131072</memory>
<os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type><kernel>/srv/images/vmlinuz</kernel><initrd>/srv/images/initrd.cpio</initrd></os>
<devices><disk type='file' device='disk'><source file='/var/lib/nexus/pools/pool-de/imvu-042-web1.qcow2'/><backingStore/><target dev='vda' bus='virtio'/><alias name='virtio-disk0'/></disk>
<interface type='network'><mac address='52:54:00:aa:bb:cc'/><source network='nx-imvu-042' bridge='nxbr42'/><target dev='vnet3'/><model type='virtio'/></interface>
<serial type='file'><source path='/var/lib/nexus/console/imvu-042-web1.log'/><target port='0'/></serial></devices>
<seclabel type='static' model='dac' relabel='no'><label>+0:+0</label></seclabel></domain>`;
  const out = portable(live);
  for (const gone of ['uuid', 'seclabel', '52:54:00', 'vnet3', 'alias', '/var/lib', '/srv', "id='7'", 'id="7"']) t.notOk(out.includes(gone), `no ${gone}`);
  for (const kept of ['imvu-042-web1.qcow2', 'vmlinuz', 'initrd.cpio', 'nx-imvu-042', '<memory unit="KiB">131072</memory>', '<target dev="vda" bus="virtio"']) t.ok(out.includes(kept), `keeps ${kept}`);
});

function sample(p: Partial<Sample>): Sample {
  return { boot: '1', at: 0, running: true, cpuTimeNs: 0n, rxBytes: 0n, txBytes: 0n, memoryMiB: 128, diskGiB: 1, ...p };
}

t.test('meters bill deltas, carry remainders, and survive restarts without double counting', async (t) => {
  let c = startCursor(0);
  let r = advance(c, sample({ at: 1500, cpuTimeNs: 1_500_000_000n, rxBytes: 100n, txBytes: 40n }));
  t.same(r.usage, { vcpuSeconds: 1n, memoryMiBSeconds: 192n, diskGiBHours: 0n, rxBytes: 100n, txBytes: 40n });
  c = r.cursor;
  // An appliance restart reloads the same cursor: the same counters bill nothing again.
  r = advance(c, sample({ at: 1500, cpuTimeNs: 1_500_000_000n, rxBytes: 100n, txBytes: 40n }));
  t.same(r.usage, { vcpuSeconds: 0n, memoryMiBSeconds: 0n, diskGiBHours: 0n, rxBytes: 0n, txBytes: 0n }, 'same counters, nothing billed');
  // The VM restarted: counters began again from zero on a new boot.
  r = advance(r.cursor, sample({ boot: '2', at: 2000, cpuTimeNs: 600_000_000n, rxBytes: 7n, txBytes: 3n }));
  t.equal(r.usage.vcpuSeconds, 1n, '0.5 s carried + 0.6 s of the new boot = 1 s');
  t.equal(r.cursor.carryCpuNs, 100_000_000n);
  t.equal(r.usage.rxBytes, 7n);
});

t.test('property: billed units plus the carry equal the counters, however sampled', async (t) => {
  t.doesNotThrow(() => fc.assert(fc.property(fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 5_000_000_000n }), fc.integer({ min: 0, max: 10_000 }), fc.boolean()), { minLength: 1, maxLength: 30 }), (steps) => {
    let c: Cursor = startCursor(0);
    let cpu = 0n;
    let boot = 1;
    let total = 0n;
    let wall = 0;
    let billed = 0n;
    for (const [inc, dt, reboot] of steps) {
      if (reboot) {
        boot += 1;
        cpu = 0n;
      }
      cpu += inc;
      total += inc;
      wall += dt;
      const r = advance(c, sample({ boot: String(boot), at: wall, cpuTimeNs: cpu }));
      billed += r.usage.vcpuSeconds;
      c = r.cursor;
    }
    return billed * 1_000_000_000n + c.carryCpuNs === total;
  })));
});

t.test('network policy: strict rules, nft lines, drift', async (t) => {
  const policy = parsePolicy({ egress: [{ proto: 'tcp', cidr: '10.200.42.1/32', port: 8080 }], ingress: [] });
  t.equal(field(() => parsePolicy({ egress: [{ proto: 'tcp', cidr: '10.0.0.1' }], ingress: [] })), 'INPUT_INVALID /policy/egress/0/port');
  t.equal(field(() => parsePolicy({ egress: [{ proto: 'tcp', cidr: '10.0.0.5/24', port: 1 }], ingress: [] })), 'INPUT_INVALID /policy/egress/0/cidr');
  t.equal(field(() => parsePolicy({ egress: [{ proto: 'gre', cidr: '10.0.0.1' }], ingress: [] })), 'INPUT_INVALID /policy/egress/0/proto');
  t.equal(field(() => parsePolicy({ egress: [{ proto: 'icmp', cidr: '10.0.0.1', port: 3 }], ingress: [] })), 'INPUT_INVALID /policy/egress/0/port');
  t.equal(field(() => parsePolicy({ egress: [], ingress: [], route: 1 })), 'INPUT_INVALID /policy/route');
  const n = networkNames('IMVU-042');
  t.same(n, { network: 'nx-imvu-042', bridge: 'nxbr42', table: 'nexus_imvu_042', hostIp: '10.200.42.1', firstGuestIp: '10.200.42.10' });
  const c = chains(n.bridge, policy);
  t.same(c.egress, ['iifname "nxbr42" ct state established,related accept', 'iifname "nxbr42" ip daddr 10.200.42.1 tcp dport 8080 accept', 'iifname "nxbr42" drop']);
  const listing = `table inet nexus_imvu_042 {\n\tchain egress {\n\t\ttype filter hook input priority filter; policy accept;\n${c.egress.map((l) => `\t\t${l}`).join('\n')}\n\t}\n\tchain ingress {\n\t\ttype filter hook output priority filter; policy accept;\n${c.ingress.map((l) => `\t\t${l}`).join('\n')}\n\t}\n}\n`;
  t.same(drift(c, parseListing(listing)), [], 'what was declared is what runs');
  const tampered = listing.replace('tcp dport 8080', 'tcp dport 22');
  t.same(drift(c, parseListing(tampered)), [
    { chain: 'egress', kind: 'missing', rule: 'iifname "nxbr42" ip daddr 10.200.42.1 tcp dport 8080 accept' },
    { chain: 'egress', kind: 'unexpected', rule: 'iifname "nxbr42" ip daddr 10.200.42.1 tcp dport 22 accept' },
  ]);
  t.ok(drift(c, parseListing('')).length > 0, 'no table at all is drift');
});
