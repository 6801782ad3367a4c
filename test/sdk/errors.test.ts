import t from 'tap';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, NexusError, isErrorCode, isNexusError } from '../../sdk/src/errors/index.js';

const doc = readFileSync(new URL('../../spec/errors.md', import.meta.url), 'utf8');
const documented = [...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1] as string);

t.test('spec/errors.md and the code list agree, both ways', async (t) => {
  t.same([...documented].sort(), [...ERROR_CODES].sort(), 'same set of codes');
  t.equal(new Set(documented).size, documented.length, 'no code documented twice');
});

t.test('errors carry code and field, and are recognised across copies', async (t) => {
  const e = new NexusError('KEY_INVALID', 'bad', { field: '/key' });
  t.ok(isNexusError(e));
  t.same(e.toJSON(), { code: 'KEY_INVALID', message: 'bad', field: '/key' });
  // A structurally branded object from "another copy" of the SDK.
  t.ok(isNexusError(Object.assign(new Error('x'), { [Symbol.for('nexus-cos.error')]: true })));
  t.notOk(isNexusError(new Error('plain')));
  t.ok(isErrorCode('USAGE'));
  t.notOk(isErrorCode('NOPE'));
});
