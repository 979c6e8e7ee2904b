import { expect } from 'chai';
import type { ConnectionNotifier } from '../../../src/application/notifications/ports/ConnectionNotifier.js';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import { ApiGatewayConnectionNotifier } from '../../../src/adapters/aws/ApiGatewayConnectionNotifier.js';
import { InProcessConnectionNotifier } from '../../../src/adapters/memory/InProcessConnectionNotifier.js';
import { ConnectionId } from '../../../src/domain/connection/ConnectionId.js';
import { eventually, startTestGateway, type TestGateway } from './support/gatewayHarness.js';

/**
 * The ConnectionNotifier contract, run against both adapters with real clients of the local
 * gateway: the in-process one (writes to the sockets) and the API Gateway one (the real
 * ApiGatewayManagementApiClient posting to the gateway's own @connections API).
 */
const ADAPTERS = [
  { notifier: 'inprocess', type: InProcessConnectionNotifier },
  { notifier: 'apigateway', type: ApiGatewayConnectionNotifier },
] as const;

for (const { notifier: choice, type } of ADAPTERS) {
  describe(`ConnectionNotifier contract: ${choice}`, () => {
    let gw: TestGateway;
    let notifier: ConnectionNotifier;

    before(async () => {
      gw = await startTestGateway({ envExtra: { HERMES_NOTIFIER: choice } });
      notifier = gw.gateway.container.get<ConnectionNotifier>(NOTIFICATION_TOKENS.ConnectionNotifier);
    });
    after(() => gw.stop());

    it(`is the ${type.name}`, () => {
      expect(notifier).to.be.instanceOf(type);
    });

    it('delivers the payload unchanged to an open connection', async () => {
      const { client, connectionId } = await gw.connectWithId('alice', 'acme');
      const payload = JSON.stringify({ text: 'naïve café ✓ 🚀', list: [1, 2, 3] });
      expect(await notifier.send(ConnectionId.of(connectionId), payload)).to.deep.equal({ status: 'delivered' });
      await eventually(() => client.received.length === 1, 2_000, 'delivery');
      expect(client.received[0]).to.equal(payload);
      await client.close();
    });

    it('reports an unknown connection as gone', async () => {
      expect(await notifier.send(ConnectionId.of('NeverConnected0='), '{}')).to.deep.equal({ status: 'gone' });
    });

    it('reports a connection that has closed as gone', async () => {
      const { client, connectionId } = await gw.connectWithId('alice', 'acme');
      await client.close();
      await eventually(() => gw.gateway.websocket.get(connectionId) === undefined, 2_000, 'close');
      expect(await notifier.send(ConnectionId.of(connectionId), '{}')).to.deep.equal({ status: 'gone' });
    });

    it('delivers concurrent sends to many connections, each exactly once', async () => {
      const clients = [];
      for (let i = 0; i < 20; i += 1) clients.push(await gw.connectWithId(`user${i}`, 'acme'));
      const outcomes = await Promise.all(
        clients.map(async ({ connectionId }) => notifier.send(ConnectionId.of(connectionId), `"to ${connectionId}"`)),
      );
      expect(outcomes.every((o) => o.status === 'delivered')).to.equal(true);
      for (const { client, connectionId } of clients) {
        await eventually(() => client.received.length === 1, 2_000, 'delivery');
        expect(client.received).to.deep.equal([`"to ${connectionId}"`]);
      }
      await Promise.all(clients.map(({ client }) => client.close()));
    });

    it('carries a whole broadcast: a publish reaches every client of the room', async () => {
      const [alice, bob] = await Promise.all([gw.connect('alice', 'room-b'), gw.connect('bob', 'room-b')]);
      const response = await gw.publish('room-b', { type: 'info', data: 'through the notifier' });
      expect(response.status).to.equal(202);
      for (const client of [alice, bob]) expect(await client.next()).to.include({ type: 'info', data: 'through the notifier' });
      await Promise.all([alice.close(), bob.close()]);
    });
  });
}
