import { expect } from 'chai';
import { eventually, startTestGateway, TestClient, TEST_ADMIN_KEY } from './support/gatewayHarness.js';
import { startHermes } from './support/hermesStart.js';

describe('local gateway: graceful shutdown', () => {
  it('on SIGTERM, a real `hermes start` process closes sockets with 1001, runs $disconnect and exits 0', async function () {
    this.timeout(30_000);
    const { process: child, url } = await startHermes([], {}, 15_000);
    try {
      const response = await fetch(`${url}/local/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: 'alice', room_id: 'acme' }),
      });
      const { token } = (await response.json()) as { token: string };
      const clients = await Promise.all([1, 2].map(() => TestClient.open(`${url.replace('http', 'ws')}/local?token=${token}`)));
      await eventually(() => (child.outputTail().match(/"message":"connected"/g) ?? []).length === 2, 5_000, 'both connected');

      const ids = [...child.outputTail().matchAll(/"message":"connected".*?"connectionId":"([^"]+)"/g)].map((m) => m[1]);
      const exited = child.exited;
      process.kill(child.pid as number, 'SIGTERM');
      const closes = await Promise.all(clients.map((c) => c.closed));
      expect(closes.map((c) => c.code)).to.deep.equal([1001, 1001]);
      const exit = await exited;
      expect(exit).to.deep.include({ code: 0, signal: null });
      const output = child.outputTail();
      for (const id of ids)
        expect(output).to.match(new RegExp(`"message":"disconnected".*"connectionId":"${id?.replace(/[+/=]/g, '\\$&')}"`));
      expect(output).to.include('hermes stopped');
    } finally {
      await child.stop();
    }
  });

  it('stop() closes every socket with 1001 and runs $disconnect for each, in process', async () => {
    const gw = await startTestGateway();
    const connected = [await gw.connectWithId('a', 'r1'), await gw.connectWithId('b', 'r2')];
    await gw.stop();
    for (const { client, connectionId } of connected) {
      expect((await client.closed).code).to.equal(1001);
      expect(await gw.isRegistered(connectionId)).to.equal(false);
    }
    await gw.stop(); // idempotent
  });
});
