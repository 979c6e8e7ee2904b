import { expect } from 'chai';
import { type RunningGateway, startGateway } from '../../../src/entrypoints/standalone/startGateway.js';
import { testEnv } from '../../e2e/gateway/support/gatewayHarness.js';
import { startRedisServer, type RedisServer } from '../../support/services/redisServer.js';

describe('GET /ready on the redis profile', function () {
  this.timeout(60_000);
  let server: RedisServer;
  let gateway: RunningGateway | undefined;

  before(async () => {
    // A private redis-server: this test stops it, which the shared one must never see.
    server = await startRedisServer();
  });
  after(async () => {
    await gateway?.stop();
    await server?.stop();
  });

  const ready = async (): Promise<{ status: number; body: { failing: string[]; checks: Record<string, { ok: boolean }> }; ms: number }> => {
    const started = Date.now();
    const response = await fetch(`${gateway?.url}/ready`);
    return { status: response.status, body: (await response.json()) as never, ms: Date.now() - started };
  };

  it('is ready while Redis answers PING, 503 naming redis within 2 s when it does not, ready again when it is back', async () => {
    gateway = await startGateway({
      profile: 'redis',
      env: testEnv({ REDIS_URL: server.url, HERMES_AUTH_WORKERS: '0' }),
      eventSource: false,
    });
    const up = await ready();
    expect(up.status).to.equal(200);
    expect(Object.keys(up.body.checks)).to.deep.equal(['redis']);

    await server.kill();
    const down = await ready();
    expect(down.status).to.equal(503);
    expect(down.body.failing).to.deep.equal(['redis']);
    expect(down.ms).to.be.below(2_000);

    await server.start();
    const deadline = Date.now() + 20_000;
    while ((await ready()).status !== 200) {
      if (Date.now() > deadline) expect.fail('not ready again within 20 s of Redis coming back');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
});
