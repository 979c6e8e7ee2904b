import { expect } from 'chai';
import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { PublishNotification } from '../../../src/application/notifications/usecases/PublishNotification.js';
import type { RegisterConnection } from '../../../src/application/notifications/usecases/RegisterConnection.js';
import { SqsNotificationQueue } from '../../../src/adapters/aws/SqsNotificationQueue.js';
import { createQueueHandler } from '../../../src/entrypoints/lambda/handlers/queue.js';
import { LocalEventSourceMapping } from '../../../src/entrypoints/standalone/queue/LocalEventSourceMapping.js';
import { queueSource } from '../../../src/entrypoints/standalone/queue/selectQueueSource.js';
import type { HermesConfig } from '../../../src/entrypoints/config/loadConfig.js';
import { ENTRYPOINT_TOKENS } from '../../../src/entrypoints/di/tokens.js';
import { createWiring } from '../../../src/entrypoints/di/wiring.js';
import { SqsQueueSource } from '../../../src/entrypoints/standalone/queue/SqsQueueSource.js';
import type { SourceMessage } from '../../../src/entrypoints/standalone/queue/QueueSource.js';
import { PowertoolsLogger } from '../../../src/adapters/logging/PowertoolsLogger.js';
import { FakeSink } from '../../support/FakeSink.js';
import { pollUntil } from '../../support/services/polling.js';
import { uniqueName } from '../../support/services/index.js';
import { localstackCore, type LocalstackCore } from './support/localstackContainer.js';
import { withProvisionedLocalAws } from './support/localAws.js';
import { handlerDeps } from '../../support/handlerDeps.js';

const queueUrlOf = async (sqs: SQSClient, name: string): Promise<string> => {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`no queue ${name}`);
  return QueueUrl;
};

describe('SqsQueueSource on fauxqs', function () {
  this.timeout(30_000);
  const aws = withProvisionedLocalAws({}, 'test');
  let source: SqsQueueSource;
  let queueUrl: string;

  beforeEach(async function () {
    queueUrl = await queueUrlOf(aws().sqs, aws().config.queue.name);
    source = new SqsQueueSource(aws().sqs, { name: aws().config.queue.name }, aws().config.region);
  });

  const send = (body: string, type?: string) =>
    aws().sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        ...(type ? { MessageAttributes: { type: { DataType: 'String', StringValue: type } } } : {}),
      }),
    );

  it('receives with the receive count, the sent time and the message attributes', async function () {
    const before = Date.now();
    await send('{"room_id":"r","data":1}', 'info');
    const [message, ...rest] = await source.receive(10, 1_000);
    expect(rest).to.deep.equal([]);
    expect(message?.body).to.equal('{"room_id":"r","data":1}');
    expect(message?.attributes).to.deep.equal({ type: 'info' });
    expect(message?.receiveCount).to.equal(1);
    expect(message?.sentAt.getTime()).to.be.within(before - 1_000, Date.now() + 1_000);
    expect(source.arn).to.equal(`arn:aws:sqs:us-east-1:000000000000:${aws().config.queue.name}`);
  });

  it('long-polls: a receive waiting for messages returns when one arrives', async function () {
    const started = Date.now();
    setTimeout(() => void send('late'), 300);
    const messages = await source.receive(10, 5_000);
    expect(messages.map((m) => m.body)).to.deep.equal(['late']);
    expect(Date.now() - started).to.be.below(4_000);
  });

  it('stops a long poll at once when aborted', async function () {
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(), 200);
    expect(await source.receive(10, 10_000, abort.signal)).to.deep.equal([]);
    expect(Date.now() - started).to.be.below(3_000);
  });

  it('deletes acknowledged messages (more than one batch of 10) and redelivers released ones', async function () {
    for (let i = 0; i < 13; i++) await send(`m${i}`);
    const received: SourceMessage[] = [];
    while (received.length < 13) received.push(...(await source.receive(10, 1_000)));
    const [keep, ...handled] = received;
    await source.acknowledge(handled);
    await source.release([keep as SourceMessage], 0);
    const again = await source.receive(10, 1_000);
    expect(again.map((m) => [m.body, m.receiveCount])).to.deep.equal([[keep?.body, 2]]);
    await source.acknowledge(again);
    expect(await source.receive(10, 0)).to.deep.equal([]);
  });

  it('keeps a released message hidden for the delay', async function () {
    await send('later');
    const [message] = await source.receive(1, 1_000);
    await source.release([message as SourceMessage], 2_000);
    expect(await source.receive(10, 1)).to.deep.equal([]);
    const back = await source.receive(10, 5_000);
    expect(back.map((m) => m.body)).to.deep.equal(['later']);
  });

  it('is what the standalone gateway polls when HERMES_QUEUE=sqs', function () {
    const core = localstackCore(aws().env);
    expect(queueSource(createWiring(core.container.get<HermesConfig>(ENTRYPOINT_TOKENS.Config)))).to.be.instanceOf(SqsQueueSource);
  });
});

describe('SQS event source → queue Lambda handler (localstack profile: DynamoDB Local + fauxqs)', function () {
  this.timeout(60_000);
  let core: LocalstackCore;
  let mapping: LocalEventSourceMapping | undefined;

  // Registered before the fixture, so that it runs before the fixture destroys the clients.
  afterEach(async function () {
    await mapping?.stop();
    mapping = undefined;
  });
  const aws = withProvisionedLocalAws({ HERMES_MAX_RECEIVE_COUNT: '2' }, 'test');
  beforeEach(function () {
    core = localstackCore(aws().env);
  });

  const eventSource = (options = {}) =>
    new LocalEventSourceMapping(
      queueSource(createWiring(core.container.get<HermesConfig>(ENTRYPOINT_TOKENS.Config))),
      createQueueHandler(handlerDeps(core.container)),
      new PowertoolsLogger(),
      { pollWaitMs: 1_000, retryBaseDelayMs: 0, retryMaxDelayMs: 0, concurrency: 1, ...options },
    );

  const connect = async (room: string, count: number): Promise<FakeSink[]> => {
    const register = core.container.get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection);
    const sinks: FakeSink[] = [];
    for (let i = 0; i < count; i++) {
      const id = `${room}-c${i}`;
      await register.execute({ connectionId: id, roomId: room, userId: `u${i}` });
      const sink = new FakeSink();
      core.registry.register(id, sink);
      sinks.push(sink);
    }
    return sinks;
  };

  it('is wired to SQS: PublishNotification sends to the configured queue', async function () {
    const publish = core.container.get<PublishNotification>(NOTIFICATION_TOKENS.PublishNotification);
    expect(core.container.get(NOTIFICATION_TOKENS.NotificationQueue)).to.be.instanceOf(SqsNotificationQueue);
    const { id } = await publish.execute({ roomId: 'lobby', data: { hi: 1 } });
    const queueUrl = await queueUrlOf(aws().sqs, aws().config.queue.name);
    const { Messages = [] } = await aws().sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    expect(Messages.map((m) => (JSON.parse(m.Body ?? '{}') as { id: string }).id)).to.deep.equal([id]);
  });

  it('deletes the records that succeeded and retries only the failed one, which ends in the DLQ after maxReceiveCount', async function () {
    const room = uniqueName('room');
    const sinks = await connect(room, 3);
    const queueUrl = await queueUrlOf(aws().sqs, aws().config.queue.name);
    const publish = core.container.get<PublishNotification>(NOTIFICATION_TOKENS.PublishNotification);
    await publish.execute({ roomId: room, type: 'info', data: 'first' });
    await aws().sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'not json at all' }));
    await aws().sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ user_id: 7, room_id: room, data: 'seed format' }) }),
    );

    const source = queueSource(createWiring(core.container.get<HermesConfig>(ENTRYPOINT_TOKENS.Config)));
    const batch: SourceMessage[] = [];
    while (batch.length < 3) batch.push(...(await source.receive(10, 1_000)));
    const first = await eventSource().invoke(batch);
    expect(first).to.deep.equal({ succeeded: 2, failed: 1 });
    for (const sink of sinks) expect(sink.messages.map((m) => m['data']).sort()).to.deep.equal(['first', 'seed format']);

    mapping = eventSource();
    mapping.start();
    const dlqUrl = await queueUrlOf(aws().sqs, aws().config.queue.deadLetterName);
    const deadLetters = await pollUntil(
      'the poison message in the DLQ',
      async () => {
        const { Messages = [] } = await aws().sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1 }));
        if (Messages.length === 0) throw new Error('DLQ still empty');
        return Messages;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    await mapping.stop();
    expect(deadLetters.map((m) => m.Body)).to.deep.equal(['not json at all']);
    const { Messages: left = [] } = await aws().sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }));
    expect(left).to.deep.equal([]);
    for (const sink of sinks) expect(sink.received).to.have.length(2);
  });

  it('delivers a stream of notifications to every connection of their room, each exactly once', async function () {
    const rooms = [uniqueName('a'), uniqueName('b')];
    const sinksA = await connect(rooms[0] ?? '', 4);
    const sinksB = await connect(rooms[1] ?? '', 2);
    const queue = core.container.get<SqsNotificationQueue>(NOTIFICATION_TOKENS.NotificationQueue);
    const publish = core.container.get<PublishNotification>(NOTIFICATION_TOKENS.PublishNotification);
    mapping = eventSource({ concurrency: 2 });
    mapping.start();
    for (let i = 0; i < 25; i++) await publish.execute({ roomId: rooms[i % 2], data: i });
    expect(queue).to.be.instanceOf(SqsNotificationQueue);
    await pollUntil(
      'all deliveries',
      async () => {
        const total = [...sinksA, ...sinksB].reduce((sum, sink) => sum + sink.received.length, 0);
        if (total < 13 * 4 + 12 * 2) throw new Error(`${total} deliveries so far`);
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    for (const sink of sinksA)
      expect(sink.messages.map((m) => m['data']).sort((x, y) => Number(x) - Number(y))).to.deep.equal([
        0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24,
      ]);
    for (const sink of sinksB)
      expect(sink.messages.map((m) => m['data']).sort((x, y) => Number(x) - Number(y))).to.deep.equal([
        1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23,
      ]);
  });
});
