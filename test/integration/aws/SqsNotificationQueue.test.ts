import { expect } from 'chai';
import sinon from 'sinon';
import { ReceiveMessageCommand, SendMessageBatchCommand, type Message } from '@aws-sdk/client-sqs';
import { SqsNotificationQueue } from '../../../src/adapters/aws/SqsNotificationQueue.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { UserId } from '../../../src/domain/connection/UserId.js';
import { Notification } from '../../../src/domain/notification/Notification.js';
import { fromQueuedMessage } from '../../../src/domain/notification/QueuedNotificationMessage.js';
import { withProvisionedLocalAws } from './support/localAws.js';

describe('SqsNotificationQueue on fauxqs', function () {
  this.timeout(30_000);
  const aws = withProvisionedLocalAws({}, 'test');
  let queueUrl: string;

  beforeEach(async function () {
    queueUrl = await new SqsNotificationQueue(aws().sqs, { queueName: aws().config.queue.name }).queueUrl();
  });

  const notification = (n: number, data: Notification['data'] = { n }): Notification =>
    Notification.create({
      id: `n-${n}`,
      type: n % 2 === 0 ? 'info' : 'alert',
      roomId: RoomId.of('lobby'),
      senderUserId: n === 0 ? undefined : UserId.of(`u${n}`),
      data,
      sentAt: new Date('2026-03-01T10:00:00.000Z'),
    });

  const drain = async (): Promise<Message[]> => {
    const all: Message[] = [];
    for (;;) {
      const { Messages = [] } = await aws().sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) return all;
      all.push(...Messages);
    }
  };

  it("publishes the seed's body ({user_id, room_id, data} + type, id, sent_at) with a type attribute", async function () {
    const queue = new SqsNotificationQueue(aws().sqs, { queueName: aws().config.queue.name });
    await queue.publish(notification(3, { type: 'alert', data: 'disk full' }));
    const [message, ...rest] = await drain();
    expect(rest).to.have.length(0);
    expect(JSON.parse(message?.Body ?? 'null')).to.deep.equal({
      room_id: 'lobby',
      user_id: 'u3',
      type: 'alert',
      data: { type: 'alert', data: 'disk full' },
      id: 'n-3',
      sent_at: '2026-03-01T10:00:00.000Z',
    });
    expect(message?.MessageAttributes?.['type']).to.deep.include({ DataType: 'String', StringValue: 'alert' });
    const parsed = fromQueuedMessage(message?.Body ?? '', 'fallback', new Date());
    expect(parsed.wire).to.equal(notification(3, { type: 'alert', data: 'disk full' }).wire);
  });

  it('publishes by URL as well as by name', async function () {
    await new SqsNotificationQueue(aws().sqs, { queueUrl }).publish(notification(0));
    const messages = await drain();
    expect(messages.map((m) => JSON.parse(m.Body ?? '{}') as Record<string, unknown>).map((b) => [b['id'], b['user_id']])).to.deep.equal([
      ['n-0', undefined],
    ]);
  });

  it('publishes a batch of 23 in SendMessageBatch calls of at most 10', async function () {
    const queue = new SqsNotificationQueue(aws().sqs, { queueName: aws().config.queue.name });
    await queue.publishBatch(Array.from({ length: 23 }, (_, i) => notification(i + 1)));
    const ids = (await drain()).map((m) => (JSON.parse(m.Body ?? '{}') as { id: string }).id);
    expect(ids.sort()).to.deep.equal(Array.from({ length: 23 }, (_, i) => `n-${i + 1}`).sort());
  });

  it('splits a batch by size: ten 100 KB notifications exceed one call', async function () {
    const queue = new SqsNotificationQueue(aws().sqs, { queueName: aws().config.queue.name });
    const big = 'x'.repeat(100 * 1024);
    const send = sinon.spy(aws().sqs, 'send');
    try {
      await queue.publishBatch(Array.from({ length: 10 }, (_, i) => notification(i + 1, big)));
      const batches = send
        .getCalls()
        .map((call): unknown => call.args[0])
        .filter((command): command is SendMessageBatchCommand => command instanceof SendMessageBatchCommand);
      expect(batches).to.have.length(5);
      for (const batch of batches) {
        const bytes = (batch.input.Entries ?? []).reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody ?? ''), 0);
        expect(bytes).to.be.at.most(256 * 1024);
      }
    } finally {
      send.restore();
    }
    expect(await drain()).to.have.length(10);
  });
});
