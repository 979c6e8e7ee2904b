import { expect } from 'chai';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { ConnectionRepository } from '../../../src/application/notifications/ports/ConnectionRepository.js';
import { Connection } from '../../../src/domain/connection/Connection.js';
import { ConnectionId } from '../../../src/domain/connection/ConnectionId.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { UserId } from '../../../src/domain/connection/UserId.js';
import { eventually, startTestGateway, type TestGateway } from './support/gatewayHarness.js';

for (const notifier of ['inprocess', 'apigateway'] as const) {
  describe(`local gateway: cleanup of dead connections (HERMES_NOTIFIER=${notifier})`, () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway({ envExtra: { HERMES_NOTIFIER: notifier } });
    });
    after(() => gw.stop());

    it('runs $disconnect for a client killed without a close handshake', async () => {
      const { client, connectionId } = await gw.connectWithId('alice', 'acme');
      client.socket.terminate();
      await eventually(async () => !(await gw.isRegistered(connectionId)), 2_000, '$disconnect');
      expect(gw.gateway.websocket.get(connectionId)).to.equal(undefined);
    });

    it('drops a registered connection the gateway no longer holds on the next broadcast (gone)', async () => {
      // A connection left in the store by a crashed process a minute ago: registered, but no socket behind it.
      // (One younger than the connecting grace is kept: its $connect may still be running.)
      const repository = gw.gateway.container.get<ConnectionRepository>(NOTIFICATION_TOKENS.ConnectionRepository);
      await repository.save(
        Connection.open({
          connectionId: ConnectionId.of('StaleConnection+/='),
          roomId: RoomId.of('acme'),
          userId: UserId.of('ghost'),
          connectedAt: new Date(Date.now() - 60_000),
        }),
      );
      const live = await gw.connect('bob', 'acme');
      expect(await gw.isRegistered('StaleConnection+/=')).to.equal(true);
      await gw.publish('acme', { data: 'ping' });
      expect(await live.next()).to.include({ data: 'ping' });
      await eventually(async () => !(await gw.isRegistered('StaleConnection+/=')), 2_000, 'gone connection deleted');
      await live.close();
    });
  });
}
