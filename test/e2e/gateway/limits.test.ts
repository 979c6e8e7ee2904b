import { expect } from 'chai';
import { eventually, startTestGateway, type TestGateway } from './support/gatewayHarness.js';

describe('local gateway: API Gateway limits', () => {
  describe('sizes (128 KB message, 32 KB frame)', () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway();
    });
    after(() => gw.stop());

    it('closes with 1009 on a frame over 32 KB, without handling it, and runs $disconnect', async () => {
      const { client, connectionId } = await gw.connectWithId('alice', 'acme');
      const watcher = await gw.connect('bob', 'acme');
      client.send({ action: 'sendMessage', data: 'x'.repeat(33 * 1024) });
      expect((await client.closed).code).to.equal(1009);
      await eventually(async () => !(await gw.isRegistered(connectionId)), 2_000, '$disconnect');
      // Nothing was relayed: bob's next notification is this one.
      await gw.publish('acme', { data: 'after' });
      expect(await watcher.next()).to.include({ data: 'after' });
      await watcher.close();
    });

    it('accepts a frame of exactly 32 KB', async () => {
      const client = await gw.connect('alice', 'acme');
      const prefix = JSON.stringify({ action: 'sendMessage', data: '' });
      client.send(JSON.stringify({ action: 'sendMessage', data: 'y'.repeat(32 * 1024 - prefix.length) }));
      const message = await client.next();
      expect((message['data'] as string).length).to.equal(32 * 1024 - prefix.length);
      await client.close();
    });

    it('closes with 1009 on a message over 128 KB sent in frames under 32 KB', async () => {
      const client = await gw.connect('alice', 'acme');
      const chunk = 'z'.repeat(30 * 1024);
      for (let i = 0; i < 5; i += 1) client.socket.send(chunk, { fin: i === 4 });
      expect((await client.closed).code).to.equal(1009);
    });

    it('accepts a fragmented message under 128 KB and routes it whole', async () => {
      const client = await gw.connect('alice', 'acme');
      const text = JSON.stringify({ action: 'sendMessage', data: 'w'.repeat(60 * 1024) });
      const third = Math.ceil(text.length / 3);
      for (let i = 0; i < 3; i += 1) client.socket.send(text.slice(i * third, (i + 1) * third), { fin: i === 2 });
      expect(((await client.next())['data'] as string).length).to.equal(60 * 1024);
      await client.close();
    });
  });

  describe('timeouts', () => {
    it('closes an idle connection with 1001 and runs $disconnect', async () => {
      const gw = await startTestGateway({ limits: { idleTimeoutMs: 200 } });
      try {
        const { client, connectionId } = await gw.connectWithId('alice', 'acme');
        const started = Date.now();
        const closed = await client.closed;
        expect(closed.code).to.equal(1001);
        expect(Date.now() - started).to.be.within(150, 1_000);
        await eventually(async () => !(await gw.isRegistered(connectionId)), 2_000, '$disconnect');
      } finally {
        await gw.stop();
      }
    });

    it('keeps a connection whose client keeps talking, until the hard limit closes it with 1001', async () => {
      const gw = await startTestGateway({ limits: { idleTimeoutMs: 150, hardTimeoutMs: 600 } });
      try {
        const client = await gw.connect('alice', 'acme');
        const started = Date.now();
        const pinger = setInterval(() => client.socket.ping(), 50);
        const closed = await client.closed;
        clearInterval(pinger);
        expect(closed.code).to.equal(1001);
        expect(Date.now() - started).to.be.within(500, 1_500);
      } finally {
        await gw.stop();
      }
    });
  });
});
