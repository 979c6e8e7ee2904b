import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { expect } from 'chai';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { RegisterConnection } from '../../../src/application/notifications/usecases/RegisterConnection.js';
import { createQueueHandler } from '../../../src/entrypoints/lambda/handlers/queue.js';
import { FakeSink } from '../../support/FakeSink.js';
import { notificationCore, type NotificationCore } from '../../support/notificationCore.js';
import { handlerDeps } from '../../support/handlerDeps.js';

function record(messageId: string, body: unknown): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:hermes-notifications',
    awsRegion: 'eu-west-1',
  };
}

describe('queue handler (SQS → BroadcastToRoom)', () => {
  let core: NotificationCore;
  let acme: FakeSink;
  let globex: FakeSink;

  beforeEach(async () => {
    core = notificationCore();
    const register = core.get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection);
    await register.execute({ connectionId: 'a-1', roomId: 'acme', userId: 'u1' });
    await register.execute({ connectionId: 'g-1', roomId: 'globex', userId: 'u2' });
    acme = new FakeSink();
    globex = new FakeSink();
    core.registry.register('a-1', acme);
    core.registry.register('g-1', globex);
  });

  it('broadcasts every record of the batch, not only the first', async () => {
    const event: SQSEvent = {
      Records: [
        record('m1', { room_id: 'acme', user_id: '7', data: { type: 'info', data: 'one' } }),
        record('m2', { room_id: 'globex', data: 'two' }),
        record('m3', { room_id: 'acme', type: 'warning', data: 'three' }),
      ],
    };
    expect(await createQueueHandler(handlerDeps(core.container))(event)).to.deep.equal({ batchItemFailures: [] });
    expect(acme.messages.map((m) => m['data'])).to.have.deep.members([{ type: 'info', data: 'one' }, 'three']);
    expect(acme.messages.map((m) => m['type'])).to.have.members(['info', 'warning']);
    expect(globex.messages.map((m) => m['data'])).to.deep.equal(['two']);
    // A seed-format message takes the SQS message id as its notification id.
    expect(globex.messages[0]).to.include({ id: 'm2' });
  });

  it('reports only the failed records in batchItemFailures', async () => {
    const event: SQSEvent = {
      Records: [
        record('ok-1', { room_id: 'acme', data: 1 }),
        record('bad-json', '{not json'),
        record('ok-2', { room_id: 'globex', data: 2 }),
        record('bad-room', { room_id: 'no spaces!', data: 3 }),
      ],
    };
    const response = await createQueueHandler(handlerDeps(core.container))(event);
    expect(response.batchItemFailures).to.have.deep.members([{ itemIdentifier: 'bad-json' }, { itemIdentifier: 'bad-room' }]);
    expect(acme.received).to.have.length(1);
    expect(globex.received).to.have.length(1);
  });

  it('lists every record when all fail, instead of throwing', async () => {
    const response = await createQueueHandler(handlerDeps(core.container))({ Records: [record('x', 'nope'), record('y', '{}')] });
    expect(response.batchItemFailures).to.have.deep.members([{ itemIdentifier: 'x' }, { itemIdentifier: 'y' }]);
  });

  it('can be invoked concurrently (one batch processor per invocation)', async () => {
    const handler = createQueueHandler(handlerDeps(core.container));
    const [first, second] = await Promise.all([
      handler({ Records: [record('a', { room_id: 'acme', data: 'a' }), record('bad', 'x')] }),
      handler({ Records: [record('b', { room_id: 'globex', data: 'b' })] }),
    ]);
    expect(first.batchItemFailures).to.deep.equal([{ itemIdentifier: 'bad' }]);
    expect(second.batchItemFailures).to.deep.equal([]);
  });
});
