import { expect } from 'chai';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message as SqsMessage,
} from '@aws-sdk/client-sqs';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import {
  dynamoDbLocal,
  kafkaMockCluster,
  MOCK_CONSUMER_TUNING,
  sqsEmulator,
  startFakeSecretsManager,
  uniqueName,
  type FakeSecretsManager,
} from '../support/services/index.js';

describe('local services harness', function () {
  describe('DynamoDB Local', function () {
    this.timeout(60_000);

    it('creates a table and round-trips an item', async function () {
      const ddb = await dynamoDbLocal();
      expect(ddb.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = new DynamoDBClient(ddb);
      const tableName = uniqueName('harness');
      try {
        await client.send(
          new CreateTableCommand({
            TableName: tableName,
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
          }),
        );
        await client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'a' }, n: { N: '42' } } }));
        const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'a' } } }));
        expect(Item).to.deep.equal({ pk: { S: 'a' }, n: { N: '42' } });
      } finally {
        client.destroy();
      }
    });

    it('is shared: a second call returns the same endpoint', async function () {
      const [first, second] = await Promise.all([dynamoDbLocal(), dynamoDbLocal()]);
      expect(second.endpoint).to.equal(first.endpoint);
    });
  });

  describe('SQS emulator (fauxqs)', function () {
    let client: SQSClient;

    before(async function () {
      const sqs = await sqsEmulator();
      expect(sqs.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      client = new SQSClient(sqs);
    });

    after(function () {
      client.destroy();
    });

    const createQueue = async (name: string, attributes?: Record<string, string>): Promise<string> => {
      const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: uniqueName(name), Attributes: attributes }));
      if (!QueueUrl) throw new Error('CreateQueue returned no QueueUrl');
      return QueueUrl;
    };

    const queueArn = async (queueUrl: string): Promise<string> => {
      const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
      const arn = Attributes?.['QueueArn'];
      if (!arn) throw new Error('no QueueArn');
      return arn;
    };

    const receiveAll = async (queueUrl: string, visibilityTimeout?: number): Promise<SqsMessage[]> => {
      const { Messages } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          VisibilityTimeout: visibilityTimeout,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      return Messages ?? [];
    };

    const receiveOne = async (queueUrl: string, visibilityTimeout?: number): Promise<SqsMessage> => {
      const messages = await receiveAll(queueUrl, visibilityTimeout);
      expect(messages).to.have.length(1);
      const [message] = messages;
      if (!message?.ReceiptHandle) throw new Error('message without receipt handle');
      return message;
    };

    it('sends, receives with message attributes, and deletes', async function () {
      const queueUrl = await createQueue('harness-basic');
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify({ hello: 'world' }),
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: 'greeting' },
            attempt: { DataType: 'Number', StringValue: '3' },
          },
        }),
      );
      const message = await receiveOne(queueUrl);
      expect(JSON.parse(message.Body ?? 'null')).to.deep.equal({ hello: 'world' });
      expect(message.MessageAttributes?.['kind']?.StringValue).to.equal('greeting');
      expect(message.MessageAttributes?.['attempt']).to.include({ DataType: 'Number', StringValue: '3' });
      expect(message.Attributes?.ApproximateReceiveCount).to.equal('1');

      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      expect(await receiveAll(queueUrl, 0)).to.have.length(0);
    });

    it('hides a received message for its visibility timeout, then redelivers it', async function () {
      const queueUrl = await createQueue('harness-visibility');
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'again' }));
      await receiveOne(queueUrl, 1);
      expect(await receiveAll(queueUrl)).to.have.length(0);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const redelivered = await receiveOne(queueUrl);
      expect(redelivered.Attributes?.ApproximateReceiveCount).to.equal('2');
    });

    it('makes a message visible again at once with ChangeMessageVisibility(0)', async function () {
      const queueUrl = await createQueue('harness-change-visibility');
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'release me' }));
      const first = await receiveOne(queueUrl, 30);
      expect(await receiveAll(queueUrl)).to.have.length(0);
      await client.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 }),
      );
      const second = await receiveOne(queueUrl);
      expect(second.Body).to.equal('release me');
    });

    it('moves a message to the DLQ after maxReceiveCount receives (RedrivePolicy)', async function () {
      const dlqUrl = await createQueue('harness-dlq');
      const sourceUrl = await createQueue('harness-source', {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await queueArn(dlqUrl), maxReceiveCount: '2' }),
      });
      await client.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: 'poison' }));
      // Receiving with VisibilityTimeout 0 makes each receive count without waiting.
      expect((await receiveOne(sourceUrl, 0)).Attributes?.ApproximateReceiveCount).to.equal('1');
      expect((await receiveOne(sourceUrl, 0)).Attributes?.ApproximateReceiveCount).to.equal('2');
      expect(await receiveAll(sourceUrl, 0)).to.have.length(0);
      const deadLetter = await receiveOne(dlqUrl);
      expect(deadLetter.Body).to.equal('poison');
    });
  });

  describe('Kafka mock cluster (kcat)', function () {
    this.timeout(60_000);

    const consumers: Consumer[] = [];

    afterEach(async function () {
      await Promise.all(consumers.splice(0).map((consumer) => consumer.disconnect()));
    });

    const consumeUntil = async (kafka: Kafka, groupId: string, topic: string, expectedCount: number): Promise<KafkaMessage[]> => {
      const consumer = kafka.consumer({ groupId, ...MOCK_CONSUMER_TUNING });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const received: KafkaMessage[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`got ${received.length}/${expectedCount} messages`)), 30_000);
        void consumer
          .run({
            eachMessage: async ({ message }) => {
              received.push(message);
              if (received.length >= expectedCount) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
      await consumer.disconnect();
      return received;
    };

    it('produces to an auto-created topic, consumes in a group, and resumes from committed offsets', async function () {
      const { brokers } = await kafkaMockCluster();
      expect(brokers.length).to.be.greaterThan(0);
      for (const broker of brokers) expect(broker).to.match(/^127\.0\.0\.1:\d+$/);

      const kafka = new Kafka({ clientId: 'harness', brokers, logLevel: logLevel.NOTHING });
      const topic = uniqueName('harness-topic');
      const groupId = uniqueName('harness-group');
      const producer = kafka.producer({ allowAutoTopicCreation: true });
      const admin = kafka.admin();
      await Promise.all([producer.connect(), admin.connect()]);
      try {
        const firstBatch = Array.from({ length: 8 }, (_, index) => ({ key: `k${index}`, value: `first-${index}` }));
        await producer.send({ topic, messages: firstBatch });
        const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
        expect(metadata.topics[0]?.partitions).to.have.length(4);

        const first = await consumeUntil(kafka, groupId, topic, 8);
        expect(first.map((message) => message.value?.toString()).sort()).to.deep.equal(firstBatch.map((message) => message.value).sort());
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const committedTotal = (committed?.partitions ?? []).reduce((sum, partition) => sum + Math.max(0, Number(partition.offset)), 0);
        expect(committedTotal).to.equal(8);

        await producer.send({
          topic,
          messages: [
            { key: 'k1', value: 'second-1' },
            { key: 'k2', value: 'second-2' },
          ],
        });
        const resumed = await consumeUntil(kafka, groupId, topic, 2);
        expect(resumed.map((message) => message.value?.toString()).sort()).to.deep.equal(['second-1', 'second-2']);
      } finally {
        await Promise.all([producer.disconnect(), admin.disconnect()]);
      }
    });
  });

  describe('fake Secrets Manager', function () {
    let secretsManager: FakeSecretsManager;
    let client: SecretsManagerClient;

    beforeEach(async function () {
      secretsManager = await startFakeSecretsManager({ 'hermes/jwt': 's3cr3t' });
      client = new SecretsManagerClient(secretsManager);
    });

    afterEach(async function () {
      client.destroy();
      await secretsManager.stop();
    });

    it('returns a secret by name and by ARN, counting calls', async function () {
      const byName = await client.send(new GetSecretValueCommand({ SecretId: 'hermes/jwt' }));
      expect(byName).to.include({ Name: 'hermes/jwt', SecretString: 's3cr3t' });
      expect(byName.VersionStages).to.deep.equal(['AWSCURRENT']);
      expect(byName.CreatedDate).to.be.instanceOf(Date);

      const arn = secretsManager.arnOf('hermes/jwt');
      expect(byName.ARN).to.equal(arn);
      const byArn = await client.send(new GetSecretValueCommand({ SecretId: arn }));
      expect(byArn.SecretString).to.equal('s3cr3t');
      expect(secretsManager.calls('hermes/jwt')).to.equal(2);
    });

    it('raises ResourceNotFoundException for an unknown secret', async function () {
      const error = await client.send(new GetSecretValueCommand({ SecretId: 'nope' })).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(ResourceNotFoundException);
      expect(secretsManager.calls('nope')).to.equal(1);
    });
  });
});
