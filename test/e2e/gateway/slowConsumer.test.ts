import type { Socket } from 'node:net';
import { expect } from 'chai';
import { SLOW_CONSUMER_CLOSE } from '../../../src/entrypoints/standalone/websocket/GatewayConnection.js';
import { eventually, startTestGateway, type TestGateway } from './support/gatewayHarness.js';

/** 100 notifications of ~100 KB: 10 MB broadcast to the room. */
const COUNT = 100;
const PAYLOAD = 'x'.repeat(100 * 1024);

describe('local gateway: slow consumers (HERMES_MAX_BUFFERED_BYTES)', function () {
  this.timeout(60_000);
  let gw: TestGateway;

  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.stop());

  it('closes a client that never reads with 1008 "slow consumer" while 10 MB go to its room; the others get everything', async () => {
    const { client: slow, connectionId: slowId } = await gw.connectWithId('slow', 'firehose');
    const fast = await gw.connect('fast', 'firehose');
    // The slow client stops reading: the kernel buffers fill, then the gateway's own send buffer would.
    const tcp = (slow.socket as unknown as { _socket: Socket })._socket;
    tcp.pause();

    for (let i = 0; i < COUNT; i += 1) {
      const response = await gw.publish('firehose', { type: 'bulk', data: { i, blob: PAYLOAD } });
      expect(response.status).to.equal(202);
    }

    await eventually(() => fast.received.length === COUNT, 30_000, 'the fast client received all');
    const order = fast.messages.map((message) => (message['data'] as { i: number }).i);
    expect(order).to.deep.equal([...Array(COUNT).keys()]);
    // The gateway let the slow connection go instead of queueing 10 MB for it.
    await eventually(() => gw.gateway.websocket.get(slowId)?.isOpen !== true, 10_000, 'slow connection closed');

    tcp.resume();
    const closed = await slow.closed;
    expect(closed).to.deep.equal({ code: SLOW_CONSUMER_CLOSE.code, reason: SLOW_CONSUMER_CLOSE.reason });
    // Only what fit under the bound (plus the kernel's buffers) was ever written for it.
    expect(slow.received.length).to.be.greaterThan(0).and.lessThan(COUNT);
    await fast.close();
  });
});
