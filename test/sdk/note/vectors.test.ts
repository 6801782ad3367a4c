import t from 'tap';
import { buildNoteVectors } from '../../../scripts/vectors/note.js';

// The builder opens every case and checks its expected outcome; here we check that it
// is deterministic (Ed25519 signing is) and plain JSON.
t.test('note vectors are deterministic plain JSON', async (t) => {
  const a = JSON.stringify(buildNoteVectors());
  t.equal(JSON.stringify(JSON.parse(a)), a);
  t.equal(JSON.stringify(buildNoteVectors()), a);
});
