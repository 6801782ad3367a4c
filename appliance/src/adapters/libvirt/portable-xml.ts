import { XMLBuilder, XMLParser } from 'fast-xml-parser';

type Node = Record<string, unknown>;

/** Elements that only mean something on this host: identity, labels, live device names. */
const DROP: ReadonlySet<string> = new Set(['uuid', 'seclabel', 'mac', 'alias', 'resource', 'backingStore']);
/** Elements whose text is a host path: reduced to the file's name. */
const BASENAME: ReadonlySet<string> = new Set(['kernel', 'initrd']);
/** Attributes that name host files: reduced to the file's name. */
const PATH_ATTRS = ['@_file', '@_path'];

const options = { ignoreAttributes: false, preserveOrder: true, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true } as const;

function basename(p: unknown): unknown {
  return typeof p === 'string' ? p.slice(p.lastIndexOf('/') + 1) : p;
}

function clean(nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (const n of nodes) {
    const tag = Object.keys(n).find((k) => k !== ':@');
    if (tag === undefined || DROP.has(tag)) continue;
    const attrs = n[':@'] as Record<string, unknown> | undefined;
    if (attrs !== undefined) {
      for (const a of PATH_ATTRS) if (a in attrs) attrs[a] = basename(attrs[a]);
      // The domain's running id and a live interface's host device are this host's.
      if (tag === 'domain') delete attrs['@_id'];
    }
    const children = n[tag];
    if (Array.isArray(children)) {
      if (tag === 'target' && attrs !== undefined && typeof attrs['@_dev'] === 'string' && /^vnet\d+$/.test(attrs['@_dev'])) continue;
      n[tag] = BASENAME.has(tag) ? children.map((c: Node) => ('#text' in c ? { '#text': basename(c['#text']) } : c)) : clean(children as Node[]);
    }
    out.push(n);
  }
  return out;
}

/**
 * A domain's XML with its host-specific details removed: the uuid, MAC addresses, security
 * labels, device aliases and backing chains go; disk, console, kernel and initrd paths
 * become bare file names (the exit bundle ships the files beside the XML).
 */
export function portable(xml: string): string {
  const tree = new XMLParser(options).parse(xml) as Node[];
  return new XMLBuilder(options).build(clean(tree)) as string;
}
