// The VM routes end to end in process: signed requests through fastify, the gatekeeper and
// the compute services, on libvirt's test driver with real qcow2 disks.
import t from 'tap';
import { createImvu, key, register, send, stack } from '../http/harness.js';

const alice = key(91);

t.test('a VM through the signed API: create, read, start, stop, destroy', async (t) => {
  const s = await stack();
  t.teardown(() => s.close());
  await register(s.app, alice);
  const id = await createImvu(s.app, alice);
  const spec = { name: 'api1', vcpus: 1, memoryMiB: 128, diskGiB: 1, image: 'tiny' };
  const created = await send(s.app, alice, 'POST', `/v1/imvus/${id}/vms`, spec);
  t.equal(created.statusCode, 201, created.body);
  const vm = created.json() as { spec: unknown; state: string; disk?: string };
  t.same(vm.spec, spec);
  t.equal(vm.state, 'defined');
  t.notOk('disk' in vm, 'no host path in the answer');
  const bad = await send(s.app, alice, 'POST', `/v1/imvus/${id}/vms`, { ...spec, name: 'Api2' });
  t.equal(bad.statusCode, 400);
  t.equal((bad.json() as { code: string }).code, 'INPUT_INVALID');
  const list = await send(s.app, alice, 'GET', `/v1/imvus/${id}/vms`);
  t.same((list.json() as { spec: { name: string } }[]).map((v) => v.spec.name), ['api1']);
  const started = await send(s.app, alice, 'POST', `/v1/imvus/${id}/vms/api1/start`);
  t.equal((started.json() as { state: string }).state, 'running');
  const stopped = await send(s.app, alice, 'POST', `/v1/imvus/${id}/vms/api1/stop`, { force: true });
  t.equal((stopped.json() as { state: string }).state, 'stopped');
  const gone = await send(s.app, alice, 'DELETE', `/v1/imvus/${id}/vms/api1`);
  t.equal(gone.statusCode, 204);
  const missing = await send(s.app, alice, 'GET', `/v1/imvus/${id}/vms/api1`);
  t.equal(missing.statusCode, 404);
});
