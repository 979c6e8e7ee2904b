import { expect } from 'chai';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { DeliverQueuedNotification } from '../../../src/application/notifications/usecases/DeliverQueuedNotification.js';
import type { PublishNotification } from '../../../src/application/notifications/usecases/PublishNotification.js';
import type { RegisterConnection } from '../../../src/application/notifications/usecases/RegisterConnection.js';
import { NotificationTooLargeError } from '../../../src/domain/notification/NotificationTooLargeError.js';
import { ValidationError } from '../../../src/domain/shared/ValidationError.js';
import { FakeSink } from '../../support/FakeSink.js';
import { type NotificationCore, notificationCore } from '../../support/notificationCore.js';

/** Registers connection c1 of bob in room acme; returns the sink its deliveries land in. */
async function connectBob(core: NotificationCore): Promise<FakeSink> {
  await core.get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection).execute({ connectionId: 'c1', roomId: 'acme', userId: 'bob' });
  const sink = new FakeSink();
  core.registry.register('c1', sink);
  return sink;
}

/** What a promise was rejected with (undefined when it resolved). */
const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );

describe('PublishNotification and DeliverQueuedNotification', () => {
  it('queues the seed format {user_id, room_id, data} with type, id and sent_at', async () => {
    const core = notificationCore();
    const published = await core.get<PublishNotification>(NOTIFICATION_TOKENS.PublishNotification).execute({
      roomId: 'acme',
      userId: 7,
      data: { type: 'danger', data: 'backup failed' },
    });
    const [message] = await core.queue.receive(10);
    const body = JSON.parse(message?.body ?? '{}') as Record<string, unknown>;
    expect(body).to.deep.include({ room_id: 'acme', user_id: '7', type: 'danger', id: published.id });
    expect(body['data']).to.deep.equal({ type: 'danger', data: 'backup failed' });
    expect(message?.attributes).to.deep.equal({ type: 'danger' });
    expect(published).to.deep.equal({ id: published.id, roomId: 'acme', type: 'danger' });
  });

  it('rejects invalid input before queueing anything', async () => {
    const core = notificationCore();
    const publish = core.get<PublishNotification>(NOTIFICATION_TOKENS.PublishNotification);
    const cases: Array<[Record<string, unknown>, new (...args: never[]) => Error]> = [
      [{ roomId: 'acme' }, ValidationError],
      [{ roomId: '', data: 1 }, ValidationError],
      [{ roomId: 'acme', data: 1, type: 5 }, ValidationError],
      [{ roomId: 'acme', data: 'x'.repeat(130 * 1024) }, NotificationTooLargeError],
    ];
    for (const [input, type] of cases) {
      const error = await rejectionOf(publish.execute(input as never));
      expect(error, JSON.stringify(input).slice(0, 60)).to.be.instanceOf(type);
    }
    expect(core.queue.depth).to.equal(0);
  });

  it('delivers a queued message to its room, keeping its id and sender', async () => {
    const core = notificationCore();
    const sink = await connectBob(core);
    const published = await core
      .get<PublishNotification>(NOTIFICATION_TOKENS.PublishNotification)
      .execute({ roomId: 'acme', userId: 'ops', type: 'info', data: 'hello' });
    const [message] = await core.queue.receive(1);

    const report = await core
      .get<DeliverQueuedNotification>(NOTIFICATION_TOKENS.DeliverQueuedNotification)
      .execute({ body: message!.body, messageId: message!.messageId });

    expect(report).to.deep.equal({ delivered: 1, gone: 0, failed: 0 });
    expect(sink.messages[0]).to.include({ id: published.id, user_id: 'ops', type: 'info', data: 'hello' });
  });

  it('accepts a message written by a seed-format producer, using the queue message id', async () => {
    const core = notificationCore();
    const sink = await connectBob(core);
    const body = JSON.stringify({ user_id: 3, room_id: 'acme', data: { type: 'info', data: 'job done' } });

    await core.get<DeliverQueuedNotification>(NOTIFICATION_TOKENS.DeliverQueuedNotification).execute({ body, messageId: 'sqs-msg-1' });

    expect(sink.messages[0]).to.include({ id: 'sqs-msg-1', type: 'info', user_id: '3', room_id: 'acme' });
  });

  it('rejects an invalid queued message', async () => {
    const deliver = notificationCore().get<DeliverQueuedNotification>(NOTIFICATION_TOKENS.DeliverQueuedNotification);
    for (const body of ['not json', '[]', '{"room_id":"acme"}', '{"room_id":"bad room","data":1}']) {
      const error = await rejectionOf(deliver.execute({ body, messageId: 'm' }));
      expect(error, body).to.be.instanceOf(ValidationError);
    }
  });
});
