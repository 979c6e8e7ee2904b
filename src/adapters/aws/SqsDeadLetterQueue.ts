import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetterQueue } from '../../application/notifications/ports/DeadLetterQueue.js';
import { QueueUrlResolver } from './QueueUrlResolver.js';

/** How long a message read by the console stays hidden from other readers while it is redriven or discarded. */
const HOLD_SECONDS = 30;
/** Receives tried while looking for one message (10 messages each). */
const MAX_SEARCH_ROUNDS = 10;

/**
 * The notification queue's SQS dead-letter queue (found through the queue's RedrivePolicy, else by
 * its `<name>-dlq` name). Listing peeks (visibility 0); redrive sends the body back to the queue and
 * deletes it from the DLQ, as the console's "redrive" does
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html).
 */
export class SqsDeadLetterQueue implements DeadLetterQueue {
  private readonly source: QueueUrlResolver;
  private readonly deadLetterName: string;
  private dlqUrl: Promise<string> | undefined;

  constructor(
    private readonly client: SQSClient,
    queue: { readonly url?: string | undefined; readonly name: string; readonly deadLetterName: string },
  ) {
    this.source = new QueueUrlResolver(client, queue);
    this.deadLetterName = queue.deadLetterName;
  }

  async list(max = 10): Promise<DeadLetter[]> {
    const { Messages = [] } = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: await this.deadLetterUrl(),
        MaxNumberOfMessages: Math.min(10, max),
        VisibilityTimeout: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      }),
    );
    return Messages.map(deadLetterOf);
  }

  async redrive(id: string): Promise<boolean> {
    return this.take(id, async (message) => {
      await this.client.send(new SendMessageCommand({ QueueUrl: await this.source.resolve(), MessageBody: message.Body ?? '' }));
    });
  }

  async discard(id: string): Promise<boolean> {
    return this.take(id, async () => undefined);
  }

  /** Receives until the message with `id` shows up, does `act`, then deletes it; the others become visible again. */
  private async take(id: string, act: (message: Message) => Promise<void>): Promise<boolean> {
    const url = await this.deadLetterUrl();
    for (let round = 0; round < MAX_SEARCH_ROUNDS; round += 1) {
      const { Messages = [] } = await this.client.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: HOLD_SECONDS }),
      );
      if (Messages.length === 0) return false;
      const found = Messages.find((m) => m.MessageId === id);
      await Promise.all(
        Messages.filter((m) => m !== found).map((m) =>
          this.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
        ),
      );
      if (found) {
        await act(found);
        await this.client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: found.ReceiptHandle }));
        return true;
      }
    }
    return false;
  }

  private deadLetterUrl(): Promise<string> {
    this.dlqUrl ??= this.findDeadLetterUrl();
    this.dlqUrl.catch(() => {
      this.dlqUrl = undefined;
    });
    return this.dlqUrl;
  }

  private async findDeadLetterUrl(): Promise<string> {
    const { Attributes } = await this.client.send(
      new GetQueueAttributesCommand({ QueueUrl: await this.source.resolve(), AttributeNames: ['RedrivePolicy'] }),
    );
    const policy = Attributes?.RedrivePolicy ? (JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn?: string }) : {};
    const name = policy.deadLetterTargetArn?.split(':').pop() ?? this.deadLetterName;
    const { QueueUrl } = await this.client.send(new GetQueueUrlCommand({ QueueName: name }));
    if (!QueueUrl) throw new Error(`no URL for the dead-letter queue ${name}`);
    return QueueUrl;
  }
}

function deadLetterOf(message: Message): DeadLetter {
  const sent = Number(message.Attributes?.SentTimestamp);
  return {
    id: message.MessageId ?? '',
    body: message.Body ?? '',
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    ...(Number.isFinite(sent) && sent > 0 ? { sentAt: new Date(sent).toISOString() } : {}),
  };
}
