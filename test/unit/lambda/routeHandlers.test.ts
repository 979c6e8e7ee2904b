import { expect } from 'chai';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { RegisterConnection } from '../../../src/application/notifications/usecases/RegisterConnection.js';
import { ConnectionId } from '../../../src/domain/connection/ConnectionId.js';
import { createConnectHandler } from '../../../src/entrypoints/lambda/handlers/connect.js';
import { createDefaultHandler } from '../../../src/entrypoints/lambda/handlers/default.js';
import { createDisconnectHandler } from '../../../src/entrypoints/lambda/handlers/disconnect.js';
import { createSendMessageHandler } from '../../../src/entrypoints/lambda/handlers/sendMessage.js';
import { FakeSink } from '../../support/FakeSink.js';
import { notificationCore, type NotificationCore } from '../../support/notificationCore.js';
import { messageEvent, requestContext } from './events.js';
import { handlerDeps } from '../../support/handlerDeps.js';

describe('connect handler', () => {
  it('registers the connection under the authorizer context, connected at requestContext.connectedAt', async () => {
    const core = notificationCore();
    const connectedAt = core.clock.now().getTime() - 5_000;
    const result = await createConnectHandler(handlerDeps(core.container))({
      requestContext: requestContext({ connectedAt, authorizer: { principalId: 'alice', room_id: 'acme', user_id: 'alice' } }),
      isBase64Encoded: false,
    });
    expect(result).to.deep.equal({ statusCode: 200 });
    const stored = await core.connections.get(ConnectionId.of('L0SM9cOFvHcCIhw='));
    expect(stored?.roomId.value).to.equal('acme');
    expect(stored?.userId.value).to.equal('alice');
    expect(stored?.connectedAt.getTime()).to.equal(connectedAt);
  });

  it('refuses (403) a connection without authorizer context and stores nothing', async () => {
    const core = notificationCore();
    const result = await createConnectHandler(handlerDeps(core.container))({ requestContext: requestContext(), isBase64Encoded: false });
    expect(result.statusCode).to.equal(403);
    expect(await core.connections.get(ConnectionId.of('L0SM9cOFvHcCIhw='))).to.equal(undefined);
  });

  it('answers 400 for an authorizer context the domain rejects', async () => {
    const core = notificationCore();
    const result = await createConnectHandler(handlerDeps(core.container))({
      requestContext: requestContext({ authorizer: { room_id: 'bad room!', user_id: 'alice' } }),
      isBase64Encoded: false,
    });
    expect(result.statusCode).to.equal(400);
    expect(JSON.parse(result.body as string)).to.have.nested.property('error.code', 'VALIDATION_FAILED');
  });
});

describe('disconnect handler', () => {
  it('forgets the connection, and is idempotent', async () => {
    const core = notificationCore();
    await core
      .get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection)
      .execute({ connectionId: 'L0SM9cOFvHcCIhw=', roomId: 'acme', userId: 'alice' });
    const handler = createDisconnectHandler(handlerDeps(core.container));
    const event = {
      requestContext: requestContext({ routeKey: '$disconnect', eventType: 'DISCONNECT', disconnectStatusCode: 1001 }),
      isBase64Encoded: false,
    };
    expect(await handler(event)).to.deep.equal({ statusCode: 200 });
    expect(await core.connections.get(ConnectionId.of('L0SM9cOFvHcCIhw='))).to.equal(undefined);
    expect(await handler(event)).to.deep.equal({ statusCode: 200 });
  });
});

describe('sendMessage handler', () => {
  let core: NotificationCore;
  let acme: FakeSink;
  let other: FakeSink;

  beforeEach(async () => {
    core = notificationCore();
    const register = core.get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection);
    await register.execute({ connectionId: 'acme-1', roomId: 'acme', userId: 'bob' });
    await register.execute({ connectionId: 'other-1', roomId: 'globex', userId: 'carol' });
    acme = new FakeSink();
    other = new FakeSink();
    core.registry.register('acme-1', acme);
    core.registry.register('other-1', other);
  });

  it('broadcasts {action, data, type} to the sender room from the authorizer context; nothing is sent back', async () => {
    const result = await createSendMessageHandler(handlerDeps(core.container))(
      messageEvent(JSON.stringify({ action: 'sendMessage', type: 'info', data: { text: 'hi' }, room_id: 'globex' })),
    );
    expect(result).to.deep.equal({ statusCode: 200 });
    expect(acme.messages).to.have.length(1);
    expect(acme.messages[0]).to.deep.include({ type: 'info', room_id: 'acme', user_id: 'alice', data: { text: 'hi' } });
    expect(other.messages).to.deep.equal([]);
  });

  it('falls back to the stored connection when the event has no authorizer context', async () => {
    const result = await createSendMessageHandler(handlerDeps(core.container))(
      messageEvent(JSON.stringify({ action: 'sendMessage', data: 'from storage' }), { connectionId: 'acme-1', authorizer: {} }),
    );
    expect(result.statusCode).to.equal(200);
    expect(acme.messages[0]).to.include({ user_id: 'bob', room_id: 'acme', data: 'from storage' });
  });

  const malformed: Array<[string, string | undefined, number, string]> = [
    ['an empty body', undefined, 400, 'MALFORMED_MESSAGE'],
    ['a body that is not JSON', '{oops', 400, 'MALFORMED_MESSAGE'],
    ['a JSON array', '[1,2]', 400, 'MALFORMED_MESSAGE'],
    ['a message without data', '{"action":"sendMessage"}', 400, 'VALIDATION_FAILED'],
    ['an invalid type', '{"action":"sendMessage","type":"no spaces allowed","data":1}', 400, 'VALIDATION_FAILED'],
    ['data over 128 KB', JSON.stringify({ action: 'sendMessage', data: 'x'.repeat(131_072) }), 413, 'NOTIFICATION_TOO_LARGE'],
  ];
  for (const [name, body, status, code] of malformed) {
    it(`answers ${name} with ${status} ${code} to the sender, broadcasting nothing`, async () => {
      const result = await createSendMessageHandler(handlerDeps(core.container))(messageEvent(body));
      expect(result.statusCode).to.equal(status);
      expect(JSON.parse(result.body as string)).to.have.nested.property('error.code', code);
      expect(acme.received).to.deep.equal([]);
    });
  }

  it('answers 404 when the sender is neither in the context nor stored', async () => {
    const result = await createSendMessageHandler(handlerDeps(core.container))(
      messageEvent('{"action":"sendMessage","data":1}', { connectionId: 'unknown-1', authorizer: {} }),
    );
    expect(result.statusCode).to.equal(404);
    expect(JSON.parse(result.body as string)).to.have.nested.property('error.code', 'CONNECTION_NOT_FOUND');
  });
});

describe('$default handler', () => {
  const handler = createDefaultHandler(handlerDeps(notificationCore().container));

  it('names the unknown action and the known ones', async () => {
    const result = await handler(messageEvent('{"action":"shout"}', { routeKey: '$default' }));
    expect(result.statusCode).to.equal(400);
    expect(JSON.parse(result.body as string)).to.deep.equal({
      error: {
        code: 'UNKNOWN_ACTION',
        message: 'unknown action "shout"; known actions: sendMessage, resume, presence',
        known_actions: ['sendMessage', 'resume', 'presence'],
      },
    });
  });

  it('explains a message without action or not JSON, and echoes at most 64 characters of an action', async () => {
    const noAction = JSON.parse((await handler(messageEvent('{"data":1}'))).body as string) as { error: { message: string } };
    expect(noAction.error.message).to.equal('the message has no "action"; known actions: sendMessage, resume, presence');
    const notJson = JSON.parse((await handler(messageEvent('hello'))).body as string) as { error: { message: string } };
    expect(notJson.error.message).to.equal('the message is not JSON; known actions: sendMessage, resume, presence');
    const long = JSON.parse((await handler(messageEvent(JSON.stringify({ action: 'a'.repeat(500) })))).body as string) as {
      error: { message: string };
    };
    expect(long.error.message).to.equal(`unknown action "${'a'.repeat(64)}"; known actions: sendMessage, resume, presence`);
  });
});
