import { expect } from 'chai';
import { BcryptSecretHasher } from '../../../src/adapters/bcrypt/BcryptSecretHasher.js';
import { HasherBusyError, WorkerPoolSecretHasher } from '../../../src/adapters/bcrypt/WorkerPoolSecretHasher.js';
import type { SecretHasher } from '../../../src/application/notifications/ports/SecretHasher.js';
import type { TokenVerifier } from '../../../src/application/notifications/ports/TokenVerifier.js';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import { buildContainer } from '../../../src/entrypoints/container.js';
import { createConnectHandler } from '../../../src/entrypoints/lambda/handlers/connect.js';
import { handlerDeps } from '../../support/handlerDeps.js';
import { refusalStatus, startTestGateway, testEnv, TestClient, UpgradeRefused } from './support/gatewayHarness.js';

/** A verifier that holds every verification until released, so authorizations pile up. */
function heldVerifier(): { verifier: TokenVerifier; release: () => void; waiting: () => number } {
  let waiting = 0;
  const releases: Array<() => void> = [];
  return {
    verifier: {
      verify: () =>
        new Promise((resolve) => {
          waiting += 1;
          releases.push(() => resolve({ valid: false, reason: 'TOKEN_MALFORMED' }));
        }),
    },
    release: () => {
      for (const release of releases.splice(0)) release();
    },
    waiting: () => waiting,
  };
}

async function eventually(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * API Gateway throttles new WebSocket connections beyond its rate (500 new connections per second
 * per account and Region, "Quotas for configuring and running a WebSocket API",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html);
 * a throttled request gets "429 Too Many Requests" ("Protect your WebSocket APIs",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-protect.html). The local
 * gateway refuses authorizations beyond its bound the same way, at once.
 */
describe('local gateway: bounded authorizations (issue 10, point 5)', () => {
  it('answers 429 at once to a connect beyond HERMES_MAX_CONCURRENT_AUTHORIZATIONS, and accepts again once they finish', async () => {
    const held = heldVerifier();
    const gw = await startTestGateway({
      values: [[NOTIFICATION_TOKENS.TokenVerifier, held.verifier]],
      envExtra: { HERMES_MAX_CONCURRENT_AUTHORIZATIONS: '2' },
    });
    try {
      const first = refusalStatus(`${gw.websocketUrl}?token=a`);
      const second = refusalStatus(`${gw.websocketUrl}?token=b`);
      await eventually(() => held.waiting() === 2);
      const started = Date.now();
      expect(await refusalStatus(`${gw.websocketUrl}?token=c`)).to.equal(429);
      expect(Date.now() - started).to.be.below(1_000);
      held.release();
      expect(await first).to.equal(403);
      expect(await second).to.equal(403);
      const after = refusalStatus(`${gw.websocketUrl}?token=d`);
      await eventually(() => held.waiting() === 3);
      held.release();
      expect(await after).to.equal(403);
    } finally {
      held.release();
      await gw.stop();
    }
  });

  it('answers 429 when the bcrypt pool refuses the work (HasherBusyError)', async () => {
    const busy: SecretHasher = {
      hash: async () => '$2b$04$' + 'a'.repeat(53),
      compare: async () => {
        throw new HasherBusyError(1000);
      },
    };
    const gw = await startTestGateway({ values: [[NOTIFICATION_TOKENS.SecretHasher, busy]] });
    try {
      const token = await gw.token('alice', 'acme');
      expect(await refusalStatus(`${gw.websocketUrl}?token=${encodeURIComponent(token)}`)).to.equal(429);
    } finally {
      await gw.stop();
    }
  });
});

describe('local gateway: integration deadline (issue 10, point 4)', () => {
  it('answers 500 to an authorizer that does not answer within the integration timeout', async () => {
    const held = heldVerifier();
    const gw = await startTestGateway({
      values: [[NOTIFICATION_TOKENS.TokenVerifier, held.verifier]],
      limits: { integrationTimeoutMs: 200 },
    });
    try {
      const started = Date.now();
      expect(await refusalStatus(`${gw.websocketUrl}?token=a`)).to.equal(500);
      expect(Date.now() - started).to.be.below(2_000);
    } finally {
      held.release();
      await gw.stop();
    }
  });

  it('answers 504 to a $connect that does not answer in time, and undoes its registration if it ends later', async () => {
    const gw = await startTestGateway({ limits: { integrationTimeoutMs: 200 } });
    const realConnect = createConnectHandler(handlerDeps(gw.gateway.container));
    let finishConnect: () => void = () => undefined;
    let registered: string | undefined;
    let lateDone: Promise<unknown> | undefined;
    gw.gateway.functions.override('ConnectFunction', (event) => {
      const connectEvent = event as Parameters<typeof realConnect>[0];
      return new Promise((resolve) => {
        finishConnect = () => {
          registered = connectEvent.requestContext.connectionId;
          lateDone = realConnect(connectEvent).then(resolve);
        };
      });
    });
    try {
      const token = await gw.token('alice', 'acme');
      const started = Date.now();
      const status = await TestClient.open(`${gw.websocketUrl}?token=${encodeURIComponent(token)}`).then(
        () => 0,
        (error: unknown) => (error instanceof UpgradeRefused ? error.status : -1),
      );
      expect(status).to.equal(504);
      expect(Date.now() - started).to.be.below(2_000);
      finishConnect();
      await lateDone;
      const id = registered as string;
      // The late $connect registered it; the gateway's $disconnect removes it again.
      let gone = false;
      const deadline = Date.now() + 2_000;
      while (!gone && Date.now() < deadline) {
        gone = !(await gw.isRegistered(id));
        if (!gone) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(gone).to.equal(true);
    } finally {
      finishConnect();
      await gw.stop();
    }
  });
});

describe('which bcrypt hasher is bound (issue 10, point 5)', () => {
  it('the standalone gateway hashes on worker threads, and its stop terminates them', async () => {
    const gw = await startTestGateway();
    const hasher = gw.gateway.container.get(NOTIFICATION_TOKENS.SecretHasher);
    expect(hasher).to.be.instanceOf(WorkerPoolSecretHasher);
    const client = await gw.connect('alice', 'acme');
    await client.close();
    expect((hasher as WorkerPoolSecretHasher).workerCount).to.be.above(0);
    await gw.stop();
    expect((hasher as WorkerPoolSecretHasher).workerCount).to.equal(0);
  });

  it('a container built for Lambda (no HERMES_AUTH_WORKERS) keeps the direct hasher', () => {
    expect(buildContainer('memory', { env: testEnv() }).get(NOTIFICATION_TOKENS.SecretHasher)).to.be.instanceOf(BcryptSecretHasher);
  });
});
