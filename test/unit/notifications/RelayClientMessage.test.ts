import { expect } from 'chai';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { RegisterConnection } from '../../../src/application/notifications/usecases/RegisterConnection.js';
import type { RelayClientMessage } from '../../../src/application/notifications/usecases/RelayClientMessage.js';
import { ConnectionNotFoundError } from '../../../src/domain/connection/ConnectionNotFoundError.js';
import { ValidationError } from '../../../src/domain/shared/ValidationError.js';
import { FakeSink } from '../../support/FakeSink.js';
import { notificationCore, type NotificationCore } from '../../support/notificationCore.js';

describe('RelayClientMessage', () => {
  let core: NotificationCore;
  let relay: RelayClientMessage;
  let roomA: FakeSink;
  let roomB: FakeSink;

  beforeEach(async () => {
    core = notificationCore();
    relay = core.get(NOTIFICATION_TOKENS.RelayClientMessage);
    const register = core.get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection);
    await register.execute({ connectionId: 'sender', roomId: 'room-a', userId: 'alice' });
    await register.execute({ connectionId: 'peer', roomId: 'room-a', userId: 'bob' });
    await register.execute({ connectionId: 'stranger', roomId: 'room-b', userId: 'eve' });
    roomA = new FakeSink();
    roomB = new FakeSink();
    core.registry.register('sender', new FakeSink());
    core.registry.register('peer', roomA);
    core.registry.register('stranger', roomB);
  });

  it('takes room and user from the authorizer context, never from the message', async () => {
    const report = await relay.execute({
      connectionId: 'sender',
      sender: { roomId: 'room-a', userId: 'alice' },
      data: { room_id: 'room-b', user_id: 'mallory', text: 'hi' },
    });
    expect(report.delivered).to.equal(2);
    expect(roomA.messages[0]).to.include({ room_id: 'room-a', user_id: 'alice', type: 'message' });
    expect(roomB.received).to.deep.equal([]);
  });

  it('falls back to the stored connection when there is no authorizer context', async () => {
    await relay.execute({ connectionId: 'sender', data: 'hello' });
    expect(roomA.messages[0]).to.include({ room_id: 'room-a', user_id: 'alice', data: 'hello' });
  });

  it('takes the type from the payload as the seed clients send it', async () => {
    await relay.execute({ connectionId: 'sender', data: { type: 'warning', data: 'disk almost full' } });
    expect(roomA.messages[0]).to.include({ type: 'warning' });
    expect(roomA.messages[0]?.['data']).to.deep.equal({ type: 'warning', data: 'disk almost full' });
  });

  it('refuses a sender it does not know', async () => {
    const error = await relay.execute({ connectionId: 'ghost', data: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ConnectionNotFoundError).with.property('code', 'CONNECTION_NOT_FOUND');
  });

  it('refuses a message without data or with an invalid type', async () => {
    for (const input of [
      { connectionId: 'sender', data: undefined },
      { connectionId: 'sender', data: 1, type: 'has space' },
    ]) {
      const error = await relay.execute(input).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(ValidationError);
    }
  });
});
