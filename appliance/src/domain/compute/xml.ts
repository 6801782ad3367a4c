import { assertHostName } from './names.js';
import type { VmSpec } from './spec.js';

/** How a VM boots: a kernel and initramfs (direct boot), or its own disk. */
export type BootSource =
  | { readonly kind: 'kernel'; readonly kernel: string; readonly initrd: string; readonly cmdline: string }
  | { readonly kind: 'disk' };

/** Everything the domain XML says, all derived from a validated spec and the appliance's config. */
export interface DomainPlan {
  readonly name: string;
  readonly spec: VmSpec;
  /** `qemu` (TCG) everywhere; `kvm` only where the host has it. */
  readonly type: 'qemu' | 'kvm';
  readonly disk: string;
  readonly boot: BootSource;
  /** The file the serial console is written to. */
  readonly serialLog: string;
  /** The libvirt network the VM's one interface joins; none when undefined. */
  readonly network?: string;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** XML-escapes text or an attribute value (names are validated too; this is the second wall). */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * The libvirt domain XML of a plan. Built from typed fields only, every value escaped;
 * no caller-supplied XML is ever pasted in.
 */
export function domainXml(p: DomainPlan): string {
  assertHostName(p.name);
  const os = p.boot.kind === 'kernel'
    ? [`<kernel>${esc(p.boot.kernel)}</kernel>`, `<initrd>${esc(p.boot.initrd)}</initrd>`, `<cmdline>${esc(p.boot.cmdline)}</cmdline>`]
    : ['<boot dev="hd"/>'];
  const nic = p.network === undefined ? [] : [`<interface type="network"><source network="${esc(p.network)}"/><model type="virtio"/></interface>`];
  return [
    `<domain type="${p.type}">`,
    `<name>${esc(p.name)}</name>`,
    `<memory unit="MiB">${p.spec.memoryMiB}</memory>`,
    `<vcpu>${p.spec.vcpus}</vcpu>`,
    '<os><type arch="x86_64" machine="pc">hvm</type>', ...os, '</os>',
    // Without ACPI a guest's poweroff only halts.
    '<features><acpi/></features>',
    '<on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>',
    '<devices>',
    `<disk type="file" device="disk"><driver name="qemu" type="qcow2"/><source file="${esc(p.disk)}"/><target dev="vda" bus="virtio"/></disk>`,
    ...nic,
    `<serial type="file"><source path="${esc(p.serialLog)}"/><target port="0"/></serial>`,
    '<memballoon model="none"/>',
    '</devices>',
    // QEMU runs as libvirt-qemu: run it as root on files we own rather than relabel them.
    '<seclabel type="static" model="dac" relabel="no"><label>+0:+0</label></seclabel>',
    '</domain>',
  ].join('\n');
}
