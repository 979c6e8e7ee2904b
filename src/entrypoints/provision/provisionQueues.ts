import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  type QueueAttributeName,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { ProvisionStep } from './ProvisionStep.js';

export interface QueueDefinition {
  readonly name: string;
  readonly deadLetterName: string;
  /** Receives after which SQS moves a message to the dead-letter queue. */
  readonly maxReceiveCount: number;
}

/** Dead letters are kept for the longest SQS allows, 14 days, to leave time to inspect and redrive them. */
const DEAD_LETTER_RETENTION_SECONDS = String(14 * 24 * 3600);
/** AWS's advice for a Lambda event source: at least 6 times the function's timeout (30 s in template.yaml). */
export const QUEUE_VISIBILITY_TIMEOUT_SECONDS = String(6 * 30);

/**
 * Makes the notification queue and its dead-letter queue exist, with the redrive policy
 * (`maxReceiveCount`) as configured. Existing queues get their attributes corrected, never recreated.
 */
export async function provisionQueues(
  client: SQSClient,
  queue: QueueDefinition,
  options: { readonly dryRun: boolean },
): Promise<ProvisionStep[]> {
  const deadLetter = await ensureQueue(
    client,
    queue.deadLetterName,
    { MessageRetentionPeriod: DEAD_LETTER_RETENTION_SECONDS },
    'dead-letter queue',
    options.dryRun,
  );
  const deadLetterArn = deadLetter.url ? await queueArn(client, deadLetter.url) : `(arn of ${queue.deadLetterName})`;
  const redrivePolicy = JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount: queue.maxReceiveCount });
  const main = await ensureQueue(
    client,
    queue.name,
    { VisibilityTimeout: QUEUE_VISIBILITY_TIMEOUT_SECONDS, RedrivePolicy: redrivePolicy },
    `redrive to ${queue.deadLetterName} after ${queue.maxReceiveCount} receives`,
    options.dryRun,
  );
  return [deadLetter.step, main.step];
}

async function ensureQueue(
  client: SQSClient,
  name: string,
  attributes: Record<string, string>,
  detail: string,
  dryRun: boolean,
): Promise<{ url: string | undefined; step: ProvisionStep }> {
  const url = await queueUrl(client, name);
  if (!url) {
    if (dryRun) return { url: undefined, step: { kind: 'queue', name, action: 'create', applied: false, detail } };
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    if (!QueueUrl) throw new Error(`CreateQueue returned no URL for ${name}`);
    return { url: QueueUrl, step: { kind: 'queue', name, action: 'create', applied: true, detail } };
  }
  const { Attributes: current = {} }: { Attributes?: Record<string, string> } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: Object.keys(attributes) as QueueAttributeName[] }),
  );
  const changed = Object.fromEntries(Object.entries(attributes).filter(([key, value]) => !sameAttribute(key, value, current[key])));
  if (Object.keys(changed).length === 0) return { url, step: { kind: 'queue', name, action: 'none', applied: false, detail } };
  if (!dryRun) await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: changed }));
  return {
    url,
    step: { kind: 'queue', name, action: 'update', applied: !dryRun, detail: `${detail} (set ${Object.keys(changed).join(', ')})` },
  };
}

/** RedrivePolicy is JSON whose maxReceiveCount SQS may return as a string or a number. */
function sameAttribute(key: string, wanted: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  if (key !== 'RedrivePolicy') return wanted === actual;
  try {
    const a = JSON.parse(wanted) as Record<string, unknown>;
    const b = JSON.parse(actual) as Record<string, unknown>;
    return a['deadLetterTargetArn'] === b['deadLetterTargetArn'] && String(a['maxReceiveCount']) === String(b['maxReceiveCount']);
  } catch {
    return false;
  }
}

async function queueUrl(client: SQSClient, name: string): Promise<string | undefined> {
  try {
    return (await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    if (error instanceof QueueDoesNotExist || (error instanceof Error && /QueueDoesNotExist|NonExistentQueue/.test(error.name))) {
      return undefined;
    }
    throw error;
  }
}

async function queueArn(client: SQSClient, url: string): Promise<string> {
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = Attributes?.['QueueArn'];
  if (!arn) throw new Error(`queue ${url} reported no QueueArn`);
  return arn;
}
