import { expect } from 'chai';
import { createSqsClient } from '../../../src/adapters/aws/clients.js';
import type { Logger } from '../../../src/application/shared/ports/Logger.js';
import { LocalEventSourceMapping } from '../../../src/entrypoints/standalone/queue/LocalEventSourceMapping.js';
import type { QueueSource, SourceMessage } from '../../../src/entrypoints/standalone/queue/QueueSource.js';
import { SqsQueueSource } from '../../../src/entrypoints/standalone/queue/SqsQueueSource.js';
import { RecordingLogger } from '../../support/RecordingLogger.js';

async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Fails the test run if anything rejects unhandled while `body` runs (what crashed the gateway). */
async function withoutUnhandledRejections(body: () => Promise<void>): Promise<void> {
  const seen: unknown[] = [];
  const record = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on('unhandledRejection', record);
  try {
    await body();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off('unhandledRejection', record);
  }
  expect(seen).to.deep.equal([]);
}

const FAST = { pollWaitMs: 10, errorPauseMs: 5, concurrency: 1 };

describe('queue pollers never die of logging (issue 10, point 10)', () => {
  it('SqsQueueSource builds an ARN from an unparsable queue URL without throwing', () => {
    const client = createSqsClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    try {
      const source = new SqsQueueSource(client, { url: 'not a url at all', name: 'hermes-notifications' }, 'eu-west-1');
      expect(source.arn).to.equal('arn:aws:sqs:eu-west-1:000000000000:hermes-notifications');
      const parsed = new SqsQueueSource(client, { url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/q', name: 'q' }, 'eu-west-1');
      expect(parsed.arn).to.equal('arn:aws:sqs:eu-west-1:123456789012:q');
    } finally {
      client.destroy();
    }
  });

  it('keeps polling an SQS source whose URL is unparsable (each receive fails, each failure is logged)', async () => {
    const client = createSqsClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    const source = new SqsQueueSource(client, { url: 'http://[not-a-host', name: 'hermes-notifications' }, 'eu-west-1');
    const logger = new RecordingLogger();
    const mapping = new LocalEventSourceMapping(source, async () => undefined, logger, FAST);
    try {
      await withoutUnhandledRejections(async () => {
        mapping.start();
        await until(() => logger.lines.filter((line) => line.message === 'queue poll failed').length >= 2);
        expect(mapping.running).to.equal(true);
        await mapping.stop();
      });
    } finally {
      await mapping.stop();
      client.destroy();
    }
  });

  it('survives a source whose ARN getter throws and a logger that throws, and goes on polling', async () => {
    let receives = 0;
    const source: QueueSource = {
      get arn(): string {
        throw new TypeError('Invalid URL');
      },
      receive: async (): Promise<SourceMessage[]> => {
        receives += 1;
        if (receives % 2 === 1) throw new Error('receive failed');
        return [
          { messageId: `m${receives}`, receiptHandle: `r${receives}`, body: '{}', attributes: {}, receiveCount: 1, sentAt: new Date() },
        ];
      },
      acknowledge: async () => undefined,
      release: async () => undefined,
    };
    const throwing: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => {
        throw new Error('logger broken');
      },
      error: () => {
        throw new Error('logger broken');
      },
    };
    const mapping = new LocalEventSourceMapping(source, async () => undefined, throwing, FAST);
    await withoutUnhandledRejections(async () => {
      mapping.start();
      await until(() => receives >= 6);
      await mapping.stop();
    });
  });
});
