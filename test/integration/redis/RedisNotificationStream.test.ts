import { expect } from 'chai';
import type { SQSEvent } from 'aws-lambda';
import { RedisNotificationQueue } from '../../../src/adapters/redis/RedisNotificationQueue.js';
import { RedisNotificationStream } from '../../../src/adapters/redis/RedisNotificationStream.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { Notification } from '../../../src/domain/notification/Notification.js';
import { LocalEventSourceMapping } from '../../../src/entrypoints/standalone/queue/LocalEventSourceMapping.js';
import { RedisQueueSource } from '../../../src/entrypoints/standalone/queue/RedisQueueSource.js';
import { RecordingLogger } from '../../support/RecordingLogger.js';
import { eventually } from '../../e2e/gateway/support/gatewayHarness.js';
import { RedisKeys } from '../../../src/adapters/redis/RedisKeys.js';
import { uniqueName } from '../../support/services/index.js';
import { withLocalRedis } from './support/localRedis.js';

// The semantics are SQS's, as the SqsQueueSource path has them: at-least-once, a visibility timeout, a receive
// count, and a redrive to the dead-letter queue after maxReceiveCount receives
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html);
// on Redis, a stream read by one consumer group: XCLAIM takes a pending entry only once it has been idle for the
// min-idle-time, and raises its delivery counter unless JUSTID is given (https://redis.io/docs/latest/commands/XCLAIM/).
describe('RedisNotificationStream on redis-server', function () {
  this.timeout(30_000);
  const redis = withLocalRedis();
  let keys: RedisKeys;

  beforeEach(function () {
    keys = new RedisKeys(uniqueName('stream'));
  });

  const stream = (consumer = 'node-a', visibilityTimeoutMs = 30_000, maxReceiveCount = 5): RedisNotificationStream =>
    new RedisNotificationStream(redis().connection, keys, consumer, { visibilityTimeoutMs, maxReceiveCount });

  it('publishes the notification as the SQS body, with its type attribute, and receives it once', async function () {
    const s = stream();
    const notification = Notification.create({ id: 'n-1', type: 'info', roomId: RoomId.of('lobby'), data: { a: 1 }, sentAt: new Date() });
    await new RedisNotificationQueue(s).publish(notification);
    const [message, ...rest] = await s.receive(10, 100);
    expect(rest).to.deep.equal([]);
    expect(JSON.parse(message?.body ?? '{}')).to.include({ room_id: 'lobby', type: 'info', id: 'n-1' });
    expect(message?.attributes).to.deep.equal({ type: 'info' });
    expect(message?.receiveCount).to.equal(1);
    expect(await s.receive(10, 50)).to.deep.equal([]);
    await s.acknowledge([message?.receiptHandle ?? '']);
    expect(await s.depth()).to.equal(0);
    s.close();
  });

  it('waits for a message up to the long-poll time', async function () {
    const s = stream();
    const started = Date.now();
    const receiving = s.receive(10, 2_000);
    setTimeout(() => void s.publish('{"room_id":"r","data":1}'), 200);
    const messages = await receiving;
    expect(messages).to.have.length(1);
    expect(Date.now() - started).to.be.below(1_500);
    s.close();
  });

  it('gives a released message back after its delay, counting the receives', async function () {
    const s = stream('node-a', 1_000);
    await s.publish('{"room_id":"r","data":1}');
    const [first] = await s.receive(10, 100);
    await s.release([first?.receiptHandle ?? ''], 300);
    expect(await s.receive(10, 0)).to.deep.equal([]);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const [again] = await s.receive(10, 0);
    expect(again?.messageId).to.equal(first?.messageId);
    expect(again?.receiveCount).to.equal(2);
    s.close();
  });

  it('lets another node take a message whose consumer died once its visibility timeout ends (nothing acknowledged is lost)', async function () {
    const dying = stream('node-dead', 300);
    await dying.publish('{"room_id":"r","data":1}');
    expect(await dying.receive(10, 100)).to.have.length(1);
    const survivor = stream('node-alive', 300);
    expect(await survivor.receive(10, 0)).to.deep.equal([]);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const [taken] = await survivor.receive(10, 0);
    expect(taken?.receiveCount).to.equal(2);
    dying.close();
    survivor.close();
  });

  it('dead-letters a message after maxReceiveCount receives', async function () {
    const s = stream('node-a', 1_000, 3);
    const id = await s.publish('{"room_id":"r","data":"poison"}');
    for (let receive = 1; receive <= 3; receive++) {
      const [message] = await s.receive(10, 0);
      expect(message?.receiveCount).to.equal(receive);
      await s.release([message?.receiptHandle ?? ''], 0);
    }
    expect(await s.receive(10, 0)).to.deep.equal([]);
    const dead = await s.deadLetters();
    expect(dead.map((m) => [m.messageId, m.body, m.receiveCount])).to.deep.equal([[id, '{"room_id":"r","data":"poison"}', 3]]);
    expect(await s.depth()).to.equal(0);
    s.close();
  });

  it('drives the queue handler through the local event source mapping: only failed records retried, then dead-lettered', async function () {
    const s = stream('node-a', 1_000, 2);
    await s.publish('{"room_id":"r","data":"ok"}');
    await s.publish('{"room_id":"r","data":"bad"}');
    const seen: string[] = [];
    const handler = async (event: SQSEvent) => {
      seen.push(...event.Records.map((r) => r.body));
      return { batchItemFailures: event.Records.filter((r) => r.body.includes('bad')).map((r) => ({ itemIdentifier: r.messageId })) };
    };
    const mapping = new LocalEventSourceMapping(new RedisQueueSource(s, redis().connection), handler, new RecordingLogger(), {
      pollWaitMs: 100,
      retryBaseDelayMs: 10,
      retryMaxDelayMs: 20,
    });
    mapping.start();
    try {
      await eventually(async () => (await s.deadLetters()).length === 1, 10_000, 'the bad record dead-lettered');
    } finally {
      await mapping.stop();
    }
    expect(seen.filter((body) => body.includes('ok'))).to.have.length(1);
    expect(seen.filter((body) => body.includes('bad'))).to.have.length(2);
    expect(await s.deadLetters()).to.have.length(1);
    expect(await s.depth()).to.equal(0);
    s.close();
  });
});
