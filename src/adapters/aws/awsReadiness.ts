import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ReadinessCheck } from '../../application/shared/ports/ReadinessCheck.js';
import { QueueUrlResolver } from './QueueUrlResolver.js';

/** DynamoDB answers when it describes the connections table (the table every profile on DynamoDB needs). */
export function dynamoReadiness(client: DynamoDBClient, table: string): ReadinessCheck {
  return {
    name: 'dynamodb',
    async check(signal) {
      await client.send(new DescribeTableCommand({ TableName: table }), { abortSignal: signal });
    },
  };
}

/** SQS answers when it gives the notification queue's attributes. */
export function sqsReadiness(client: SQSClient, queue: { readonly url?: string | undefined; readonly name: string }): ReadinessCheck {
  const url = new QueueUrlResolver(client, queue);
  return {
    name: 'sqs',
    async check(signal) {
      await client.send(new GetQueueAttributesCommand({ QueueUrl: await url.resolve(), AttributeNames: ['QueueArn'] }), {
        abortSignal: signal,
      });
    },
  };
}
