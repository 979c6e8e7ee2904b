import { expect } from 'chai';
import { CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { loadAwsConfig } from '../../../src/entrypoints/config/awsConfig.js';
import { provision } from '../../../src/entrypoints/provision/provision.js';
import { ProvisionConflictError, type ProvisionStep } from '../../../src/entrypoints/provision/ProvisionStep.js';
import { localAwsEnv, withProvisionedLocalAws } from './support/localAws.js';

const summary = (steps: readonly ProvisionStep[]) => steps.map((s) => `${s.kind} ${s.action}`);

/** The steps of a provisioning from nothing: four tables, each with its TTL, then the DLQ and the queue. */
const CREATE_EVERYTHING = [...Array.from({ length: 4 }, () => ['table create', 'ttl create']).flat(), 'queue create', 'queue create'];

/** What a promise was rejected with (undefined when it resolved). */
const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );

describe('provisioning (hermes provision) on DynamoDB Local and fauxqs', function () {
  this.timeout(60_000);
  const aws = withProvisionedLocalAws({ HERMES_MAX_RECEIVE_COUNT: '3' }, 'test');

  /** A table with nothing but a string hash key, as the seed (or someone else) made it. */
  const createHashKeyTable = (name: string, key: string) =>
    aws().dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      }),
    );

  const rerun = (env = aws().env, options = {}) =>
    provision(loadAwsConfig(env, 'localstack'), env, { dynamodb: aws().dynamodb, sqs: aws().sqs }, options);

  it('creates the four tables with their keys, the room GSI and TTL on expires_at', async function () {
    expect(summary(aws().steps)).to.deep.equal(CREATE_EVERYTHING);
    const { Table: connections } = await aws().dynamodb.send(new DescribeTableCommand({ TableName: aws().config.tables.connections }));
    expect(connections?.KeySchema).to.deep.equal([{ AttributeName: 'connection_id', KeyType: 'HASH' }]);
    const [index] = connections?.GlobalSecondaryIndexes ?? [];
    expect(index?.IndexName).to.equal('room_id-index');
    expect(index?.KeySchema).to.deep.equal([
      { AttributeName: 'room_id', KeyType: 'HASH' },
      { AttributeName: 'connection_id', KeyType: 'RANGE' },
    ]);
    expect(index?.Projection?.ProjectionType).to.equal('INCLUDE');
    expect([...(index?.Projection?.NonKeyAttributes ?? [])].sort()).to.deep.equal(['connected_at', 'expires_at', 'user_id']);

    const { Table: grants } = await aws().dynamodb.send(new DescribeTableCommand({ TableName: aws().config.tables.grants }));
    expect(grants?.KeySchema).to.deep.equal([
      { AttributeName: 'user_id', KeyType: 'HASH' },
      { AttributeName: 'room_id', KeyType: 'RANGE' },
    ]);
    const { Table: ledger } = await aws().dynamodb.send(new DescribeTableCommand({ TableName: aws().config.tables.runLedger }));
    expect(ledger?.KeySchema).to.deep.equal([{ AttributeName: 'run_id', KeyType: 'HASH' }]);
    const { Table: history } = await aws().dynamodb.send(new DescribeTableCommand({ TableName: aws().config.tables.history }));
    expect(history?.KeySchema).to.deep.equal([
      { AttributeName: 'room_id', KeyType: 'HASH' },
      { AttributeName: 'seq', KeyType: 'RANGE' },
    ]);

    for (const table of Object.values(aws().config.tables)) {
      const { TimeToLiveDescription } = await aws().dynamodb.send(new DescribeTimeToLiveCommand({ TableName: table }));
      expect(TimeToLiveDescription, table).to.deep.equal({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expires_at' });
    }
  });

  it('creates the queue with a redrive policy to its DLQ after HERMES_MAX_RECEIVE_COUNT receives', async function () {
    const url = async (name: string) => (await aws().sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
    const dlqUrl = await url(aws().config.queue.deadLetterName);
    const mainUrl = await url(aws().config.queue.name);
    const { Attributes: dlq } = await aws().sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }));
    const { Attributes: main } = await aws().sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: mainUrl, AttributeNames: ['RedrivePolicy', 'VisibilityTimeout'] }),
    );
    expect(main?.VisibilityTimeout).to.equal('180');
    const policy = JSON.parse(main?.RedrivePolicy ?? '{}') as Record<string, unknown>;
    expect(policy['deadLetterTargetArn']).to.equal(dlq?.QueueArn);
    expect(Number(policy['maxReceiveCount'])).to.equal(3);
  });

  it('is idempotent: a second run changes nothing', async function () {
    const second = await rerun();
    expect(
      second.every((step) => step.action === 'none' && !step.applied),
      JSON.stringify(second),
    ).to.equal(true);
    expect(second).to.have.length(11);
  });

  it('corrects a changed maxReceiveCount on the existing queue', async function () {
    const steps = await rerun({ ...aws().env, HERMES_MAX_RECEIVE_COUNT: '7' });
    expect(summary(steps).slice(-2)).to.deep.equal(['queue none', 'queue update']);
    const { QueueUrl } = await aws().sqs.send(new GetQueueUrlCommand({ QueueName: aws().config.queue.name }));
    const { Attributes } = await aws().sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedrivePolicy'] }));
    expect(Number((JSON.parse(Attributes?.RedrivePolicy ?? '{}') as Record<string, unknown>)['maxReceiveCount'])).to.equal(7);
  });

  it('in a dry run, reports what it would create and creates nothing', async function () {
    const env = await localAwsEnv();
    const steps = await rerun(env, { dryRun: true });
    expect(summary(steps)).to.deep.equal(CREATE_EVERYTHING);
    expect(steps.every((step) => !step.applied)).to.equal(true);
    const missing = await rejectionOf(aws().dynamodb.send(new DescribeTableCommand({ TableName: env['HERMES_CONNECTIONS_TABLE'] })));
    expect(missing).to.be.instanceOf(ResourceNotFoundException);
  });

  it("upgrades the seed's connections table in place: adds the room GSI and TTL", async function () {
    const env = await localAwsEnv();
    const table = env['HERMES_CONNECTIONS_TABLE'] ?? '';
    await createHashKeyTable(table, 'connection_id');
    const steps = await rerun(env);
    expect(summary(steps).slice(0, 3)).to.deep.equal(['table none', 'index create', 'ttl update']);
    const { Table } = await aws().dynamodb.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).to.deep.equal(['room_id-index']);
    expect(summary(await rerun(env)).slice(0, 3)).to.deep.equal(['table none', 'index none', 'ttl none']);
  });

  it('refuses to touch a table whose keys differ', async function () {
    const env = await localAwsEnv();
    await createHashKeyTable(env['HERMES_GRANTS_TABLE'] ?? '', 'user_id');
    const error = await rejectionOf(rerun(env));
    expect(error).to.be.instanceOf(ProvisionConflictError).with.property('message').that.includes(env['HERMES_GRANTS_TABLE']);
  });
});
