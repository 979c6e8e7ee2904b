import { expect } from 'chai';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { RegisterConnection } from '../../../src/application/notifications/usecases/RegisterConnection.js';
import type { UnregisterConnection } from '../../../src/application/notifications/usecases/UnregisterConnection.js';
import { ConnectionId } from '../../../src/domain/connection/ConnectionId.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { ValidationError } from '../../../src/domain/shared/ValidationError.js';
import { notificationCore } from '../../support/notificationCore.js';

describe('RegisterConnection and UnregisterConnection', () => {
  it('saves the connection under its room until the 2 h API Gateway limit', async () => {
    const core = notificationCore();
    const connectedAt = new Date('2026-03-01T10:00:00Z');
    const connection = await core.get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection).execute({
      connectionId: 'L0SM9cOFvHcCIhw=',
      roomId: 'acme',
      userId: 'alice',
      connectedAt,
    });
    expect(connection.expiresAt.toISOString()).to.equal('2026-03-01T12:00:00.000Z');
    core.clock.set(new Date('2026-03-01T11:59:59Z'));
    const stored = await core.connections.get(ConnectionId.of('L0SM9cOFvHcCIhw='));
    expect(stored?.userId.value).to.equal('alice');
    expect((await core.connections.findByRoom(RoomId.of('acme'))).items.map((c) => c.connectionId.value)).to.deep.equal([
      'L0SM9cOFvHcCIhw=',
    ]);
  });

  it('defaults connectedAt to the clock', async () => {
    const core = notificationCore();
    const connection = await core
      .get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection)
      .execute({ connectionId: 'c1', roomId: 'r', userId: 'u' });
    expect(connection.connectedAt.getTime()).to.equal(core.clock.now().getTime());
  });

  it('hides a connection once it has outlived the hard limit', async () => {
    const core = notificationCore();
    await core.get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection).execute({ connectionId: 'c1', roomId: 'r', userId: 'u' });
    core.clock.advance(2 * 60 * 60 * 1000);
    expect(await core.connections.get(ConnectionId.of('c1'))).to.equal(undefined);
    expect((await core.connections.findByRoom(RoomId.of('r'))).items).to.deep.equal([]);
  });

  it('refuses invalid ids', async () => {
    const register = notificationCore().get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection);
    const error = await register.execute({ connectionId: 'has space', roomId: 'r', userId: 'u' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ValidationError).with.property('field', 'connectionId');
  });

  it('unregisters idempotently', async () => {
    const core = notificationCore();
    await core.get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection).execute({ connectionId: 'c1', roomId: 'r', userId: 'u' });
    const unregister = core.get<UnregisterConnection>(NOTIFICATION_TOKENS.UnregisterConnection);
    await unregister.execute('c1');
    await unregister.execute('c1');
    await unregister.execute('never-seen');
    expect(await core.connections.get(ConnectionId.of('c1'))).to.equal(undefined);
  });
});
