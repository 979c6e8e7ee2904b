import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { expect } from 'chai';
import { refusalStatus, startTestGateway, TestClient } from './support/gatewayHarness.js';

/*
 * API Gateway throttles with a token bucket (steady rate + burst), account-wide: beyond it the
 * Management API answers 429 LimitExceededException, and beyond the 500 new connections per second
 * an upgrade answers 429. https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html;
 * a PostToConnection throttled at a low rate is LimitExceededException (repost.aws "API Gateway Management API
 * PostToConnection rate limiting").
 */
describe('local gateway: throttling (off by default)', () => {
  it('answers @connections calls beyond HERMES_CONNECTIONS_RPS / _BURST with 429 LimitExceededException', async () => {
    const gw = await startTestGateway({ envExtra: { HERMES_CONNECTIONS_RPS: '5', HERMES_CONNECTIONS_BURST: '5' } });
    const client = new ApiGatewayManagementApiClient({
      endpoint: `${gw.url}/${gw.gateway.stage}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      const { client: socket, connectionId } = await gw.connectWithId('alice', 'acme');
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(`m${i}`) })).then(
            () => 'ok',
            (error: { name?: string; $metadata?: { httpStatusCode?: number } }) => `${error.name}:${error.$metadata?.httpStatusCode}`,
          ),
        ),
      );
      expect(outcomes.filter((outcome) => outcome === 'ok').length).to.be.within(5, 6);
      expect(outcomes.filter((outcome) => outcome === 'LimitExceededException:429').length).to.be.within(6, 7);
      await socket.close();
    } finally {
      client.destroy();
      await gw.stop();
    }
  });

  it('is off without the variables', async () => {
    const gw = await startTestGateway();
    try {
      const { client: socket, connectionId } = await gw.connectWithId('alice', 'acme');
      const response = await Promise.all(
        Array.from({ length: 50 }, () =>
          fetch(`${gw.url}/${gw.gateway.stage}/@connections/${encodeURIComponent(connectionId)}`, { method: 'POST', body: 'x' }),
        ),
      );
      expect(response.every((r) => r.status === 200)).to.equal(true);
      await socket.close();
    } finally {
      await gw.stop();
    }
  });

  it('answers upgrades beyond HERMES_NEW_CONNECTIONS_RPS with 429', async () => {
    const gw = await startTestGateway({ envExtra: { HERMES_NEW_CONNECTIONS_RPS: '3' } });
    try {
      const token = await gw.token('alice', 'acme');
      const url = `${gw.websocketUrl}?token=${encodeURIComponent(token)}`;
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, () =>
          TestClient.open(url).then(
            async (client) => {
              await client.close();
              return 101;
            },
            () => refusalStatus(url).catch(() => -1),
          ),
        ),
      );
      expect(outcomes.filter((status) => status === 101).length).to.be.within(3, 4);
      expect(outcomes.filter((status) => status === 429).length).to.be.at.least(4);
    } finally {
      await gw.stop();
    }
  });

  // The shape of a real Lambda broadcast under the account limit: hermes' API Gateway notifier retries
  // 429 LimitExceededException with backoff, so every member of a 200-connection room still gets it.
  it('delivers a broadcast to 200 connections through the apigateway notifier under a 50 RPS limit', async function () {
    this.timeout(120_000);
    const gw = await startTestGateway({
      envExtra: { HERMES_NOTIFIER: 'apigateway', HERMES_CONNECTIONS_RPS: '50', HERMES_CONNECTIONS_BURST: '50' },
    });
    const clients: TestClient[] = [];
    try {
      const token = await gw.token('member', 'big-room');
      const url = `${gw.websocketUrl}?token=${encodeURIComponent(token)}`;
      for (let batch = 0; batch < 10; batch += 1) {
        clients.push(...(await Promise.all(Array.from({ length: 20 }, () => TestClient.open(url)))));
      }
      const response = await gw.publish('big-room', { data: 'to everyone' });
      expect(response.status).to.equal(202);
      const received = await Promise.all(clients.map((client) => client.next((m) => m['data'] === 'to everyone', 60_000).then(() => true)));
      expect(received.filter(Boolean)).to.have.length(200);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
      await gw.stop();
    }
  });
});
