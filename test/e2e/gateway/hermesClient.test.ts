import { ApiGatewayManagementApiClient, DeleteConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { expect } from 'chai';
import WebSocket from 'ws';
import {
  type ConnectionState,
  HermesClient,
  type HermesErrorReply,
  type HermesNotification,
} from '../../../src/entrypoints/client/HermesClient.js';
import { eventually, startTestGateway, type TestGateway } from './support/gatewayHarness.js';

describe('HermesClient against the local gateway (Node, `ws`)', () => {
  let gw: TestGateway;
  const clients: HermesClient[] = [];
  before(async () => {
    gw = await startTestGateway();
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  after(() => gw.stop());

  function client(userId: string, roomId: string, tokenCalls?: { count: number }): HermesClient {
    const created = new HermesClient({
      url: gw.websocketUrl,
      token: async () => {
        if (tokenCalls) tokenCalls.count += 1;
        return gw.token(userId, roomId);
      },
      WebSocket,
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    });
    clients.push(created);
    return created;
  }

  async function opened(c: HermesClient): Promise<void> {
    c.connect();
    await eventually(() => c.state === 'open', 3_000, 'open');
  }

  it('dispatches room notifications to the subscribers of their type and sends with sendMessage', async () => {
    const alice = client('alice', 'acme');
    const bob = client('bob', 'acme');
    await Promise.all([opened(alice), opened(bob)]);
    const infos: unknown[] = [];
    const warnings: unknown[] = [];
    const all: HermesNotification[] = [];
    bob.subscribe('info', (data) => infos.push(data));
    bob.subscribe('warning', (data) => warnings.push(data));
    bob.subscribe('*', (_data, notification) => all.push(notification));
    expect(alice.send('hi bob', { type: 'info' })).to.equal(true);
    await gw.publish('acme', { data: { type: 'warning', data: 'disk almost full' } });
    await eventually(() => all.length === 2, 2_000, 'two notifications');
    expect(infos).to.deep.equal(['hi bob']);
    expect(warnings).to.deep.equal([{ type: 'warning', data: 'disk almost full' }]);
    expect(all.map((n) => n.user_id)).to.have.members(['alice', null]);
  });

  it("surfaces the gateway's error replies", async () => {
    const alice = client('alice', 'acme');
    await opened(alice);
    const errors: HermesErrorReply[] = [];
    alice.onError((error) => errors.push(error));
    alice.sendRaw({ action: 'dance' });
    await eventually(() => errors.length === 1, 2_000, 'error reply');
    expect(errors[0]).to.deep.include({ code: 'UNKNOWN_ACTION', known_actions: ['sendMessage', 'resume', 'presence'] });
  });

  it('reconnects with a fresh token after the server closes the connection', async () => {
    const calls = { count: 0 };
    const alice = client('alice', 'acme', calls);
    const states: ConnectionState[] = [];
    alice.onStateChange((state) => states.push(state));
    await opened(alice);
    const [connectionId] = gw.gateway.websocket.connectionIds();
    const api = new ApiGatewayManagementApiClient({
      endpoint: `${gw.url}/local`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await api.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    api.destroy();
    await eventually(() => states.includes('reconnecting') && alice.state === 'open', 3_000, 'reconnected');
    expect(calls.count).to.equal(2);
    expect(gw.gateway.websocket.connectionIds()).to.not.include(connectionId);
    const received: unknown[] = [];
    alice.subscribe('*', (data) => received.push(data));
    await gw.publish('acme', { data: 'after reconnect' });
    await eventually(() => received.length === 1, 2_000, 'delivery after reconnect');
  });

  it('stops for good on close(): no reconnection', async () => {
    const alice = client('alice', 'acme');
    await opened(alice);
    alice.close();
    await eventually(() => gw.gateway.websocket.size === 0, 2_000, 'server saw the close');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(alice.state).to.equal('closed');
    expect(gw.gateway.websocket.size).to.equal(0);
  });
});
