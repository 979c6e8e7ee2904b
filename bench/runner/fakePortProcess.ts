import { startFakePortApi } from '../../test/support/fakePortApi.js';

/**
 * The fake Port API in its own process, as Port is remote: the runner under test does not share
 * its CPU with the server. Driven over IPC by bench/runner/remoteFakePort.ts.
 */
type Request =
  | { readonly id: number; readonly type: 'stats' }
  | { readonly id: number; readonly type: 'notifyAt'; readonly patches: number }
  | { readonly id: number; readonly type: 'verify'; readonly runIds: readonly string[] }
  | { readonly id: number; readonly type: 'stop' };

const latencyMs = Number(process.argv[2] ?? '20');
const fake = await startFakePortApi({ latencyMs });
let target: { id: number; patches: number } | undefined;
let patchesOk = 0;

const send = (message: unknown): void => {
  process.send?.(message);
};

const stats = () => ({
  calls: fake.calls.length,
  tokenRequests: fake.count('auth'),
  apiCalls: fake.calls.length - fake.count('auth'),
  patchesOk,
});

fake.onCall((call) => {
  if (call.route !== 'patchRun' || call.status !== 200) return;
  patchesOk += 1;
  if (target !== undefined && patchesOk >= target.patches) {
    send({ id: target.id, reachedAt: Date.now(), ...stats() });
    target = undefined;
  }
});

process.on('message', (raw) => {
  const request = raw as Request;
  switch (request.type) {
    case 'stats':
      send({ id: request.id, ...stats() });
      break;
    case 'notifyAt':
      target = { id: request.id, patches: request.patches };
      if (patchesOk >= request.patches) {
        send({ id: request.id, reachedAt: Date.now(), ...stats() });
        target = undefined;
      }
      break;
    case 'verify': {
      const failed = request.runIds.filter((runId) => fake.runs.get(runId)?.status !== 'SUCCESS' || fake.runs.get(runId)?.patches !== 1);
      send({ id: request.id, failed: failed.length });
      break;
    }
    case 'stop':
      void fake.stop().then(() => process.exit(0));
      break;
  }
});

send({ ready: true, url: fake.url, credentials: fake.credentials });
