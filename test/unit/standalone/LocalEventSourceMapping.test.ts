import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { expect } from 'chai';
import { InMemoryNotificationQueue } from '../../../src/adapters/memory/InMemoryNotificationQueue.js';
import type { Logger } from '../../../src/application/shared/ports/Logger.js';
import { InMemoryQueueSource } from '../../../src/entrypoints/standalone/queue/InMemoryQueueSource.js';
import { LocalEventSourceMapping } from '../../../src/entrypoints/standalone/queue/LocalEventSourceMapping.js';
import type { QueueSource, SourceMessage } from '../../../src/entrypoints/standalone/queue/QueueSource.js';

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const FAST = { pollWaitMs: 50, retryBaseDelayMs: 5, retryMaxDelayMs: 20, concurrency: 1 };

describe('LocalEventSourceMapping (in-process SQS event source mapping)', () => {
  let mapping: LocalEventSourceMapping | undefined;
  afterEach(async () => {
    await mapping?.stop();
    mapping = undefined;
  });

  it('invokes the handler with SQS-shaped batches of at most batchSize records and deletes what succeeded', async () => {
    const queue = new InMemoryNotificationQueue({ visibilityTimeoutMs: 5_000, maxReceiveCount: 3 });
    const bodies = Array.from({ length: 25 }, (_, i) => JSON.stringify({ room_id: 'acme', data: i }));
    for (const body of bodies) queue.enqueue(body, { type: 'info' });
    const events: SQSEvent[] = [];
    mapping = new LocalEventSourceMapping(
      new InMemoryQueueSource(queue),
      async (event) => {
        events.push(event);
        return { batchItemFailures: [] };
      },
      silent,
      { ...FAST, batchSize: 10, region: 'eu-west-1' },
    );
    mapping.start();
    await until(() => queue.depth === 0);
    expect(events.every((e) => e.Records.length <= 10)).to.equal(true);
    expect(events.flatMap((e) => e.Records.map((r) => r.body))).to.have.members(bodies);
    const [first] = events[0]?.Records ?? [];
    expect(first).to.deep.include({ eventSource: 'aws:sqs', awsRegion: 'eu-west-1' });
    expect(first?.eventSourceARN).to.match(/^arn:aws:sqs:/);
    expect(first?.attributes.ApproximateReceiveCount).to.equal('1');
    expect(first?.messageAttributes['type']?.stringValue).to.equal('info');
    expect(first?.md5OfBody).to.match(/^[0-9a-f]{32}$/);
  });

  it('retries only the records listed in batchItemFailures', async () => {
    const queue = new InMemoryNotificationQueue({ visibilityTimeoutMs: 5_000, maxReceiveCount: 5 });
    const ok = queue.enqueue('"ok"');
    const flaky = queue.enqueue('"flaky"');
    const seen: Array<[string, string]> = [];
    let failedOnce = false;
    mapping = new LocalEventSourceMapping(
      new InMemoryQueueSource(queue),
      async (event): Promise<SQSBatchResponse> => {
        for (const r of event.Records) seen.push([r.messageId, r.attributes.ApproximateReceiveCount]);
        if (!failedOnce && event.Records.some((r) => r.messageId === flaky)) {
          failedOnce = true;
          return { batchItemFailures: [{ itemIdentifier: flaky }] };
        }
        return { batchItemFailures: [] };
      },
      silent,
      FAST,
    );
    mapping.start();
    await until(() => queue.depth === 0);
    expect(seen.filter(([id]) => id === ok)).to.deep.equal([[ok, '1']]);
    expect(seen.filter(([id]) => id === flaky)).to.deep.equal([
      [flaky, '1'],
      [flaky, '2'],
    ]);
  });

  it('retries the whole batch when the handler throws, or names an unknown record', async () => {
    for (const failure of ['throw', 'unknown-id'] as const) {
      const queue = new InMemoryNotificationQueue({ visibilityTimeoutMs: 5_000, maxReceiveCount: 5 });
      queue.enqueue('"a"');
      queue.enqueue('"b"');
      let calls = 0;
      const deliveries: string[] = [];
      const local = new LocalEventSourceMapping(
        new InMemoryQueueSource(queue),
        async (event) => {
          calls += 1;
          deliveries.push(...event.Records.map((r) => r.body));
          if (calls > 1) return { batchItemFailures: [] };
          if (failure === 'throw') throw new Error('handler crashed');
          return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
        },
        silent,
        FAST,
      );
      local.start();
      await until(() => queue.depth === 0);
      await local.stop();
      expect(
        deliveries.filter((b) => b === '"a"'),
        failure,
      ).to.have.length(2);
      expect(
        deliveries.filter((b) => b === '"b"'),
        failure,
      ).to.have.length(2);
    }
  });

  it('dead-letters a record that keeps failing after maxReceiveCount attempts', async () => {
    const queue = new InMemoryNotificationQueue({ visibilityTimeoutMs: 5_000, maxReceiveCount: 3 });
    const poison = queue.enqueue('poison');
    let attempts = 0;
    mapping = new LocalEventSourceMapping(
      new InMemoryQueueSource(queue),
      async (event) => {
        attempts += event.Records.length;
        return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
      },
      silent,
      FAST,
    );
    mapping.start();
    await until(() => queue.deadLetters.length === 1);
    expect(attempts).to.equal(3);
    expect(queue.deadLetters[0]).to.include({ messageId: poison, body: 'poison', receiveCount: 3 });
    expect(queue.depth).to.equal(0);
  });

  it('backs off exponentially per receive count, capped', async () => {
    const released: number[] = [];
    const message = (receiveCount: number): SourceMessage => ({
      messageId: `m${receiveCount}`,
      receiptHandle: `r${receiveCount}`,
      body: '{}',
      attributes: {},
      receiveCount,
      sentAt: new Date(),
    });
    const source: QueueSource = {
      arn: 'arn:aws:sqs:local:0:q',
      receive: async () => [],
      acknowledge: async () => undefined,
      release: async (messages, delayMs) => {
        for (const _ of messages) released.push(delayMs);
      },
    };
    const local = new LocalEventSourceMapping(
      source,
      async (event) => ({
        batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })),
      }),
      silent,
      { retryBaseDelayMs: 100, retryMaxDelayMs: 500 },
    );
    for (const count of [1, 2, 3, 4, 5]) await local.invoke([message(count)]);
    expect(released).to.deep.equal([100, 200, 400, 500, 500]);
  });

  it('stops promptly while long-polling an empty queue', async () => {
    const queue = new InMemoryNotificationQueue();
    mapping = new LocalEventSourceMapping(new InMemoryQueueSource(queue), async () => ({ batchItemFailures: [] }), silent, {
      pollWaitMs: 10_000,
    });
    mapping.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await mapping.stop();
    expect(Date.now() - started).to.be.below(500);
    expect(mapping.running).to.equal(false);
  });
});
