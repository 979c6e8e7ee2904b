import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TransientError } from '../../domain/shared/HermesError.js';

/** GetQueueUrl answered without a URL (the queue is being created, or the emulator misbehaves). */
export class QueueUrlUnavailableError extends TransientError {
  readonly code = 'QUEUE_URL_UNAVAILABLE';

  constructor(queueName: string) {
    super(`GetQueueUrl returned no URL for queue ${queueName}`, undefined, { details: { queueName } });
  }
}

/** The queue a producer or poller talks to: its URL when configured, else its name. */
export interface QueueAddress {
  readonly url?: string | undefined;
  readonly name: string;
}

/**
 * The one queue-URL cache of the SQS adapters: the configured URL, or the one GetQueueUrl gives
 * for the name, looked up once. Concurrent first calls share one lookup; a failed lookup is not
 * remembered, so the next call tries again.
 */
export class QueueUrlResolver {
  private lookup: Promise<string> | undefined;
  private resolved: string | undefined;

  constructor(
    private readonly client: Pick<SQSClient, 'send'>,
    private readonly queue: QueueAddress,
  ) {
    this.resolved = queue.url;
  }

  /** The URL if already known (configured or looked up), without calling SQS. */
  get known(): string | undefined {
    return this.resolved;
  }

  get name(): string {
    return this.queue.name;
  }

  resolve(): Promise<string> {
    if (this.resolved) return Promise.resolve(this.resolved);
    const name = this.queue.name;
    this.lookup ??= this.client.send(new GetQueueUrlCommand({ QueueName: name })).then(({ QueueUrl }) => {
      if (!QueueUrl) throw new QueueUrlUnavailableError(name);
      this.resolved = QueueUrl;
      return QueueUrl;
    });
    this.lookup.catch(() => {
      this.lookup = undefined;
    });
    return this.lookup;
  }
}

/** The account id in a queue URL (`https://sqs.{region}.amazonaws.com/{account}/{name}`); undefined for anything unparsable. */
export function accountOfQueueUrl(queueUrl: string | undefined): string | undefined {
  if (!queueUrl || !URL.canParse(queueUrl)) return undefined;
  return new URL(queueUrl).pathname.split('/').find((part) => part.length > 0);
}
