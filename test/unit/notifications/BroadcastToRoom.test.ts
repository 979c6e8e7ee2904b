import { createHook } from 'node:async_hooks';
import { expect } from 'chai';
import sinon from 'sinon';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { BroadcastToRoom } from '../../../src/application/notifications/usecases/BroadcastToRoom.js';
import type { RegisterConnection } from '../../../src/application/notifications/usecases/RegisterConnection.js';
import { ConnectionId } from '../../../src/domain/connection/ConnectionId.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { UserId } from '../../../src/domain/connection/UserId.js';
import { Notification } from '../../../src/domain/notification/Notification.js';
import { FakeSink } from '../../support/FakeSink.js';
import { notificationCore, type NotificationCore } from '../../support/notificationCore.js';

function notification(room: string, data: unknown = { text: 'hello' }, sender = 'alice'): Notification {
  return Notification.create({
    id: 'n-1',
    type: 'info',
    roomId: RoomId.of(room),
    senderUserId: UserId.of(sender),
    data: data as never,
    sentAt: new Date('2026-01-01T00:00:00Z'),
  });
}

async function connect(core: NotificationCore, id: string, room: string, sink = new FakeSink(), user = `user-${id}`): Promise<FakeSink> {
  await core.get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection).execute({ connectionId: id, roomId: room, userId: user });
  core.registry.register(id, sink);
  return sink;
}

describe('BroadcastToRoom', () => {
  it('delivers the wire form to every connection of the room and to no other room', async () => {
    const core = notificationCore();
    const a1 = await connect(core, 'a1', 'room-a');
    const a2 = await connect(core, 'a2', 'room-a');
    const b1 = await connect(core, 'b1', 'room-b');

    const report = await core.get<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom).execute(notification('room-a'));

    expect(report).to.deep.equal({ delivered: 2, gone: 0, failed: 0 });
    for (const sink of [a1, a2]) {
      expect(sink.messages).to.deep.equal([
        {
          id: 'n-1',
          type: 'info',
          room_id: 'room-a',
          user_id: 'alice',
          sent_at: '2026-01-01T00:00:00.000Z',
          data: { text: 'hello' },
        },
      ]);
    }
    expect(b1.received).to.deep.equal([]);
  });

  it('deletes the connections reported gone, and only those', async () => {
    const core = notificationCore();
    const sender = await connect(core, 'sender', 'r');
    await connect(core, 'gone-1', 'r', new FakeSink(async () => ({ status: 'gone' })));
    await core
      .get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection)
      .execute({ connectionId: 'gone-2', roomId: 'r', userId: 'x' });
    // gone-2 has no socket in this process: the in-process notifier reports it gone.
    core.clock.advance(60_000); // past the connecting grace (see the next test)

    const report = await core.get<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom).execute(notification('r'));

    expect(report).to.deep.equal({ delivered: 1, gone: 2, failed: 0 });
    expect(await core.connections.get(ConnectionId.of('sender'))).to.not.equal(undefined);
    expect(await core.connections.get(ConnectionId.of('gone-1'))).to.equal(undefined);
    expect(await core.connections.get(ConnectionId.of('gone-2'))).to.equal(undefined);
    expect(sender.received).to.have.length(1);
  });

  // API Gateway answers PostToConnection with 410 GoneException while the connection's $connect has not
  // completed (aws/aws-sdk-js#3773, localstack/localstack#4039: the connection opens only once $connect
  // answers 200). $connect registers the connection before it answers, so a broadcast that races it
  // must not forget it: the client is about to open and must receive the next broadcast.
  it('keeps a connection reported gone while it may still be connecting, and delivers the next broadcast to it', async () => {
    const core = notificationCore();
    const broadcast = core.get<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom);
    let open = false;
    const opening = await connect(core, 'opening', 'r', new FakeSink(async () => (open ? { status: 'delivered' } : { status: 'gone' })));

    expect(await broadcast.execute(notification('r'))).to.deep.equal({ delivered: 0, gone: 1, failed: 0 });
    expect(await core.connections.get(ConnectionId.of('opening')), 'kept while connecting').to.not.equal(undefined);

    open = true;
    core.clock.advance(1_000);
    expect(await broadcast.execute(notification('r'))).to.deep.equal({ delivered: 1, gone: 0, failed: 0 });
    expect(opening.received).to.have.length(1);

    // Gone past the grace (30 s, beyond API Gateway's 29 s integration timeout): forgotten.
    open = false;
    core.clock.advance(30_000);
    expect(await broadcast.execute(notification('r'))).to.deep.equal({ delivered: 0, gone: 1, failed: 0 });
    expect(await core.connections.get(ConnectionId.of('opening'))).to.equal(undefined);
  });

  it('keeps going when one connection fails or throws, and keeps the failed connections', async () => {
    const core = notificationCore();
    await connect(core, 'fails', 'r', new FakeSink(async () => ({ status: 'failed', reason: 'throttled' })));
    await connect(
      core,
      'throws',
      'r',
      new FakeSink(async () => {
        throw new Error('socket exploded');
      }),
    );
    const ok = await connect(core, 'ok', 'r');

    const report = await core.get<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom).execute(notification('r'));

    expect(report).to.deep.equal({ delivered: 1, gone: 0, failed: 2 });
    expect(ok.received).to.have.length(1);
    expect(await core.connections.get(ConnectionId.of('fails'))).to.not.equal(undefined);
    expect(await core.connections.get(ConnectionId.of('throws'))).to.not.equal(undefined);
  });

  it('walks every page of a large room', async () => {
    const core = notificationCore();
    const sinks: FakeSink[] = [];
    for (let i = 0; i < 1203; i += 1) sinks.push(await connect(core, `c${i}`, 'big'));
    await connect(core, 'other', 'small');

    const report = await core.get<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom).execute(notification('big'));

    expect(report.delivered).to.equal(1203);
    expect(sinks.every((s) => s.received.length === 1)).to.equal(true);
  });

  it('writes to sockets that answer at once in one loop, without a promise per recipient', async () => {
    // A plain ws server's broadcast is a synchronous loop; promises per recipient are what made hermes slower
    // than it once log correlation (AsyncLocalStorage) put a hook on every promise.
    const core = notificationCore();
    const received: string[] = [];
    const socket = { deliver: (payload: string) => (received.push(payload), { status: 'delivered' as const }) };
    for (let i = 0; i < 2000; i += 1) await connect(core, `s${i}`, 'sync', socket as never);
    const broadcast = core.get<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom);
    let promises = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === 'PROMISE') promises += 1;
      },
    }).enable();
    try {
      expect(await broadcast.execute(notification('sync'))).to.deep.equal({ delivered: 2000, gone: 0, failed: 0 });
    } finally {
      hook.disable();
    }
    expect(received).to.have.lengthOf(2000);
    expect(promises).to.be.below(500);
  });

  it('never has more sends in flight than the configured concurrency', async () => {
    const core = notificationCore({ HERMES_BROADCAST_CONCURRENCY: '3' });
    let inFlight = 0;
    let peak = 0;
    const slow = (): FakeSink =>
      new FakeSink(async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        return { status: 'delivered' };
      });
    for (let i = 0; i < 20; i += 1) await connect(core, `c${i}`, 'r', slow());

    const report = await core.get<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom).execute(notification('r'));

    expect(report.delivered).to.equal(20);
    expect(peak).to.equal(3);
  });

  it('gives each recipient its own immutable copy of the message', async () => {
    const core = notificationCore();
    const data = { list: [1, 2, 3] };
    const first = await connect(core, 'c1', 'r');
    const second = await connect(core, 'c2', 'r');
    const n = notification('r', data);
    data.list.push(4);

    await core.get<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom).execute(n);

    expect(first.messages[0]?.['data']).to.deep.equal({ list: [1, 2, 3] });
    expect(second.messages[0]?.['data']).to.deep.equal({ list: [1, 2, 3] });
  });

  it('reports an empty room as nothing delivered', async () => {
    const report = await notificationCore().get<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom).execute(notification('empty'));
    expect(report).to.deep.equal({ delivered: 0, gone: 0, failed: 0 });
  });

  it('still reports the deliveries when deleting gone connections fails', async () => {
    const core = notificationCore();
    await connect(core, 'gone', 'r', new FakeSink(async () => ({ status: 'gone' })));
    await connect(core, 'ok', 'r');
    const deleteMany = sinon.stub(core.connections, 'deleteMany').rejects(new Error('throttled'));
    core.clock.advance(60_000);

    const report = await core.get<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom).execute(notification('r'));

    expect(report).to.deep.equal({ delivered: 1, gone: 1, failed: 0 });
    sinon.assert.calledOnce(deleteMany);
  });

  it('rejects when the room cannot be read, so a queued message is retried', async () => {
    const core = notificationCore();
    sinon.stub(core.connections, 'findByRoom').rejects(new Error('table unavailable'));
    const error = await core
      .get<BroadcastToRoom>(NOTIFICATION_TOKENS.BroadcastToRoom)
      .execute(notification('r'))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).to.be.instanceOf(Error).with.property('message', 'table unavailable');
  });
});
