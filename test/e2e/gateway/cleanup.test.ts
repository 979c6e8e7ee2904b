import { expect } from 'chai';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { RegisterConnection } from '../../../src/application/notifications/usecases/RegisterConnection.js';
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
      // A connection left in the store by a crashed process: registered, but no socket behind it.
      const register = gw.gateway.container.get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection);
      await register.execute({ connectionId: 'StaleConnection+/=', roomId: 'acme', userId: 'ghost' });
      const live = await gw.connect('bob', 'acme');
      expect(await gw.isRegistered('StaleConnection+/=')).to.equal(true);
      await gw.publish('acme', { data: 'ping' });
      expect(await live.next()).to.include({ data: 'ping' });
      await eventually(async () => !(await gw.isRegistered('StaleConnection+/=')), 2_000, 'gone connection deleted');
      await live.close();
    });
  });
}
