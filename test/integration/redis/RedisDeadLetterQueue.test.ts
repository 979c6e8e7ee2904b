import { expect } from 'chai';
import { RedisDeadLetterQueue } from '../../../src/adapters/redis/RedisDeadLetterQueue.js';
import { RedisKeys } from '../../../src/adapters/redis/RedisKeys.js';
import { RedisNotificationStream } from '../../../src/adapters/redis/RedisNotificationStream.js';
import { type RunningGateway, startGateway } from '../../../src/entrypoints/standalone/startGateway.js';
import { TEST_ADMIN_KEY, testEnv } from '../../e2e/gateway/support/gatewayHarness.js';
import { uniqueName } from '../../support/services/index.js';
import { withLocalRedis } from './support/localRedis.js';

// The console's dead letters on the redis profile behave as on SQS: list them, redrive one (back on the
// queue with a fresh receive count, gone from the dead-letter queue) or discard it
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html).
describe('RedisDeadLetterQueue on redis-server', function () {
  this.timeout(30_000);
  const redis = withLocalRedis();
  let stream: RedisNotificationStream;
  let deadLetters: RedisDeadLetterQueue;

  beforeEach(function () {
    const keys = new RedisKeys(uniqueName('dlq'));
    stream = new RedisNotificationStream(redis().connection, keys, 'node-a', { visibilityTimeoutMs: 1_000, maxReceiveCount: 1 });
    deadLetters = new RedisDeadLetterQueue(redis().connection, keys);
  });

  afterEach(function () {
    stream.close();
  });

  /** Publishes `body`, receives it once and gives it back: the next receive moves it to the dead-letter stream. */
  async function deadLettered(body: string): Promise<void> {
    await stream.publish(body, { type: 'info' });
    const [message] = await stream.receive(10, 0);
    await stream.release([message?.receiptHandle ?? ''], 0);
    expect(await stream.receive(10, 0)).to.deep.equal([]);
  }

  it('lists the dead letters, oldest first, with their receive count and when they were sent', async function () {
    const before = Date.now();
    await deadLettered('{"room_id":"r","data":1}');
    await deadLettered('{"room_id":"r","data":2}');
    const listed = await deadLetters.list();
    expect(listed.map((letter) => [letter.body, letter.receiveCount])).to.deep.equal([
      ['{"room_id":"r","data":1}', 1],
      ['{"room_id":"r","data":2}', 1],
    ]);
    expect(Date.parse(listed[0]?.sentAt ?? '')).to.be.within(before - 1_000, Date.now());
    expect(await deadLetters.list(1)).to.have.length(1);
  });

  it('redrives one back to the queue, with its attributes and a fresh receive count, exactly once', async function () {
    await deadLettered('{"room_id":"r","data":"again"}');
    const [letter] = await deadLetters.list();
    const id = letter?.id ?? '';

    const results = await Promise.all([deadLetters.redrive(id), deadLetters.redrive(id)]);

    expect([...results].sort()).to.deep.equal([false, true]);
    expect(await deadLetters.list()).to.deep.equal([]);
    const received = await stream.receive(10, 0);
    expect(received.map((m) => [m.body, m.attributes, m.receiveCount])).to.deep.equal([
      ['{"room_id":"r","data":"again"}', { type: 'info' }, 1],
    ]);
  });

  it('discards one for good; an unknown or malformed id is not found', async function () {
    await deadLettered('{"room_id":"r","data":"drop"}');
    const [letter] = await deadLetters.list();
    expect(await deadLetters.discard(letter?.id ?? '')).to.equal(true);
    expect(await deadLetters.discard(letter?.id ?? '')).to.equal(false);
    expect(await deadLetters.list()).to.deep.equal([]);
    expect(await stream.depth()).to.equal(0);
    expect(await deadLetters.redrive('0-1')).to.equal(false);
    expect(await deadLetters.redrive('not-an-id')).to.equal(false);
    expect(await deadLetters.discard('../x')).to.equal(false);
  });
});

describe('the operator console’s dead letters on the redis profile', function () {
  this.timeout(60_000);
  const redis = withLocalRedis();
  let gateway: RunningGateway | undefined;
  const stage = uniqueName('console').replace(/[^A-Za-z0-9_-]/g, '-');

  before(async function () {
    // No event source: a redriven notification stays on the stream, where the test counts it.
    gateway = await startGateway({
      profile: 'redis',
      env: testEnv({ REDIS_URL: redis().server.url, HERMES_STAGE: stage, HERMES_AUTH_WORKERS: '0' }),
      eventSource: false,
    });
  });

  after(async function () {
    await gateway?.stop();
  });

  const admin = (path: string, method = 'GET'): Promise<Response> =>
    fetch(`${gateway?.url}/${stage}${path}`, { method, headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });

  it('lists, redrives and discards them through the admin API (no more 501)', async function () {
    const keys = new RedisKeys(stage);
    const stream = new RedisNotificationStream(redis().connection, keys, 'node-test', { visibilityTimeoutMs: 1_000, maxReceiveCount: 1 });
    for (const data of ['keep', 'drop']) {
      await stream.publish(JSON.stringify({ room_id: 'ops', data }));
      for (const message of await stream.receive(10, 0)) await stream.release([message.receiptHandle], 0);
    }
    expect(await stream.receive(10, 0)).to.deep.equal([]);

    const listed = (await (await admin('/admin/dead-letters')).json()) as { deadLetters: Array<{ id: string; body: string }> };
    expect(listed.deadLetters.map((letter) => JSON.parse(letter.body) as unknown)).to.deep.equal([
      { room_id: 'ops', data: 'keep' },
      { room_id: 'ops', data: 'drop' },
    ]);
    const [keep, drop] = listed.deadLetters;
    expect((await admin(`/admin/dead-letters/${keep?.id}/redrive`, 'POST')).status).to.equal(200);
    expect((await admin(`/admin/dead-letters/${drop?.id}/discard`, 'POST')).status).to.equal(200);
    expect((await admin(`/admin/dead-letters/${drop?.id}/discard`, 'POST')).status).to.equal(404);

    const back = await stream.receive(10, 0);
    expect(back.map((message) => JSON.parse(message.body) as unknown)).to.deep.equal([{ room_id: 'ops', data: 'keep' }]);
    expect(((await (await admin('/admin/dead-letters')).json()) as { deadLetters: unknown[] }).deadLetters).to.deep.equal([]);
    stream.close();
  });
});
