import t from 'tap';
import { join } from 'node:path';
import { SqliteNonceStore } from '../../../appliance/src/adapters/sqlite/nonce-store.js';
import { ReplayCache } from '../../../appliance/src/http/replay-cache.js';
import { tempDir } from '../../helpers/tmp.js';

t.test('a durable nonce store remembers across a restart; the in-memory cache does not', async (t) => {
  const path = join(tempDir('nexus-nonce-'), 'nonces.sqlite');
  const now = 1_000_000;
  const first = new SqliteNonceStore(path, 360_000);
  t.equal(first.seen('n-1', now + 60_000, now), false, 'first sight');
  t.equal(first.seen('n-1', now + 60_000, now + 1), true, 'a replay in the same process');
  first.close();
  const restarted = new SqliteNonceStore(path, 360_000);
  t.equal(restarted.seen('n-1', now + 60_000, now + 5_000), true, 'a replay after a restart is still a replay');
  t.equal(restarted.seen('n-1', now + 60_000, now + 61_000), false, 'after expiry the nonce is forgotten (gate 1 refuses the stale request anyway)');
  t.equal(restarted.durable, true);
  restarted.close();
  const memory = new ReplayCache(360_000);
  t.equal(memory.durable, false, 'the in-memory cache says it forgets, so the authenticator refuses pre-start requests');
});
