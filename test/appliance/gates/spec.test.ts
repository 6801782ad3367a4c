import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { ERROR_CODES } from '@nexus-cos/sdk';
import { ACTIONS, gatesFor, type ActionName } from '../../../appliance/src/domain/gates/actions.js';
import { GATES, GATE_ERROR_CODES } from '../../../appliance/src/domain/gates/rules/index.js';

const root = new URL('../../../', import.meta.url);
const doc = readFileSync(new URL('spec/gates.md', root), 'utf8');
const rulesDir = new URL('appliance/src/domain/gates/rules/', root);
const ALL = Object.keys(ACTIONS) as ActionName[];

/** The §4 table: one row per gate, cells by header name. */
function gateTable(): Map<number, Record<string, string>> {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => /^\|\s*#\s*\|\s*Gate\s*\|/.test(l));
  if (start < 0) throw new Error('no gate table in spec/gates.md');
  const cells = (l: string) => l.replace(/^\|/, '').replace(/\|\s*$/, '').split('|').map((c) => c.trim());
  const header = cells(lines[start] ?? '');
  const rows = new Map<number, Record<string, string>>();
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    const c = cells(l);
    if (c.length !== header.length) throw new Error(`row has ${c.length} cells, header ${header.length}: ${l.slice(0, 40)}`);
    rows.set(Number(c[0]), Object.fromEntries(header.map((h, i) => [h, c[i] ?? ''])));
  }
  return rows;
}

const ticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** Reason codes a rule file can report: literal `fail('CODE'` calls, plus the shared reason check's codes. */
function codesInSource(id: number): string[] {
  const file = readdirSync(rulesDir).find((f) => f.startsWith(`g${String(id).padStart(2, '0')}-`));
  if (file === undefined) throw new Error(`no rule file for gate ${id}`);
  const src = readFileSync(new URL(file, rulesDir), 'utf8');
  const codes = [...src.matchAll(/\bfail\(\s*'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1] ?? '');
  if (src.includes('reasonProblem(')) codes.push('NO_REASON', 'REASON_TOO_SHORT');
  return sorted(codes);
}

const table = gateTable();

t.test('the table has exactly the 17 gates, with their names', async (t) => {
  t.same([...table.keys()], GATES.map((g) => g.id));
  for (const g of GATES) t.equal(table.get(g.id)?.['Gate'], g.name, `gate ${g.id} name`);
});

t.test('each gate lists exactly the actions actions.ts applies it to', async (t) => {
  for (const g of GATES) {
    const cell = table.get(g.id)?.['Actions'] ?? '';
    const listed = cell === 'every action' ? ALL : ticked(cell);
    t.same(sorted(listed), sorted(ALL.filter((a) => gatesFor(a).includes(g.id))), `gate ${g.id} actions`);
    for (const a of listed) t.ok(Object.hasOwn(ACTIONS, a), `gate ${g.id}: ${a} is a registered action`);
  }
});

t.test('each gate\u2019s error code is GATE_ERROR_CODES and a documented error code', async (t) => {
  for (const g of GATES) {
    const code = ticked(table.get(g.id)?.['Error code'] ?? '');
    t.same(code, [GATE_ERROR_CODES[g.id]], `gate ${g.id} error code`);
    t.ok((ERROR_CODES as readonly string[]).includes(code[0] ?? ''), `gate ${g.id}: in ERROR_CODES`);
  }
  t.same(Object.keys(GATE_ERROR_CODES).map(Number), GATES.map((g) => g.id));
});

t.test('each gate documents exactly the reason codes its rule can report', async (t) => {
  for (const g of GATES) {
    t.same(sorted(ticked(table.get(g.id)?.['Reason codes'] ?? '')), codesInSource(g.id), `gate ${g.id} reason codes`);
  }
});
