import { expect } from 'chai';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { RegisterConnection } from '../../../src/application/notifications/usecases/RegisterConnection.js';
import type { UnregisterConnection } from '../../../src/application/notifications/usecases/UnregisterConnection.js';
import { FakeSink } from '../../support/FakeSink.js';
import { notificationCore, type NotificationCore } from '../../support/notificationCore.js';

/** Connects like the local gateway: the socket is held before `$connect` runs. */
async function connect(core: NotificationCore, id: string, user: string, room = 'r'): Promise<FakeSink> {
  const sink = new FakeSink();
  core.registry.register(id, sink);
  await core.get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection).execute({ connectionId: id, roomId: room, userId: user });
  return sink;
}

describe('presence.join / presence.leave', () => {
  it('announces a user’s first connection to the others of the room (not to itself), and their last one closing', async () => {
    const core = notificationCore({ HERMES_PRESENCE_EVENTS: 'true' });
    const alice = await connect(core, 'a1', 'alice');
    const bob = await connect(core, 'b1', 'bob');
    const elsewhere = await connect(core, 'x1', 'xavier', 'other');
    await connect(core, 'b2', 'bob');
    expect(alice.messages.map((m) => [m['type'], m['user_id'], m['room_id']])).to.deep.equal([['presence.join', 'bob', 'r']]);
    expect(bob.messages).to.deep.equal([]);

    const unregister = core.get<UnregisterConnection>(NOTIFICATION_TOKENS.UnregisterConnection);
    await unregister.execute('b1');
    expect(alice.messages).to.have.length(1);
    await unregister.execute('b2');
    await unregister.execute('b2');
    expect(alice.messages.map((m) => [m['type'], m['user_id']])).to.deep.equal([
      ['presence.join', 'bob'],
      ['presence.leave', 'bob'],
    ]);
    expect(alice.messages[1]).to.not.have.property('seq');
    expect(elsewhere.messages).to.deep.equal([]);
  });

  it('HERMES_PRESENCE_EVENTS=false turns them off (presence itself is still kept)', async () => {
    const core = notificationCore({ HERMES_PRESENCE_EVENTS: 'false' });
    const alice = await connect(core, 'a1', 'alice');
    await connect(core, 'b1', 'bob');
    await core.get<UnregisterConnection>(NOTIFICATION_TOKENS.UnregisterConnection).execute('b1');
    expect(alice.messages).to.deep.equal([]);
  });

  it('is on by default', () => {
    const core = notificationCore({ HERMES_PRESENCE_EVENTS: '' });
    expect(core.get<{ presenceEvents: boolean }>(NOTIFICATION_TOKENS.Settings).presenceEvents).to.equal(true);
  });
});
