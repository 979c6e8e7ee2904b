import { expect } from 'chai';
import { GetQueueUrlCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import { ApiGatewayConnectionNotifier } from '../../../src/adapters/aws/ApiGatewayConnectionNotifier.js';
import { DynamoConnectionGrantStore } from '../../../src/adapters/aws/DynamoConnectionGrantStore.js';
import { DynamoConnectionRepository } from '../../../src/adapters/aws/DynamoConnectionRepository.js';
import { SqsNotificationQueue } from '../../../src/adapters/aws/SqsNotificationQueue.js';
import { provisionedLocalAws, type ProvisionedLocalAws } from '../../integration/aws/support/localAws.js';
import { eventually, startTestGateway, type TestClient, type TestGateway } from '../gateway/support/gatewayHarness.js';

/**
 * The local gateway on the `localstack` profile: connections and grants in DynamoDB Local,
 * notifications through fauxqs polled by the SQS event source, deliveries through the real
 * ApiGatewayManagementApi client to the gateway's own `@connections` endpoint.
 */
describe('local gateway on AWS-shaped adapters (DynamoDB Local + fauxqs + @connections)', function () {
  this.timeout(60_000);
  let aws: ProvisionedLocalAws;
  let gw: TestGateway;
  let queueUrl: string;
  const clients: TestClient[] = [];

  before(async function () {
    aws = await provisionedLocalAws();
    gw = await startTestGateway({ envExtra: { ...aws.env, HERMES_NOTIFIER: 'apigateway' }, actionRunner: false });
    ({ QueueUrl: queueUrl = '' } = await aws.sqs.send(new GetQueueUrlCommand({ QueueName: aws.config.queue.name })));
  });

  after(async function () {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await gw?.stop();
    aws?.destroy();
  });

  const connect = async (user: string, room: string): Promise<TestClient> => {
    const client = await gw.connect(user, room);
    clients.push(client);
    return client;
  };

  /** Gives stray deliveries time to arrive before asserting there were none. */
  const quiet = () => new Promise((resolve) => setTimeout(resolve, 1_000));

  it('runs on the DynamoDB, SQS and API Gateway adapters', function () {
    const get = (token: symbol) => gw.gateway.container.get(token);
    expect(gw.gateway.profile).to.equal('localstack');
    expect(get(NOTIFICATION_TOKENS.ConnectionRepository)).to.be.instanceOf(DynamoConnectionRepository);
    expect(get(NOTIFICATION_TOKENS.ConnectionGrantStore)).to.be.instanceOf(DynamoConnectionGrantStore);
    expect(get(NOTIFICATION_TOKENS.NotificationQueue)).to.be.instanceOf(SqsNotificationQueue);
    expect(get(NOTIFICATION_TOKENS.ConnectionNotifier)).to.be.instanceOf(ApiGatewayConnectionNotifier);
  });

  it('delivers a message sent to SQS to every client of its room and to no other', async function () {
    const alice = await connect('alice', 'acme');
    const bob = await connect('bob', 'acme');
    const carol = await connect('carol', 'globex');

    // A producer writing the seed's body straight to the queue.
    await aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify({ user_id: 42, room_id: 'acme', data: { type: 'info', data: 'backup done' } }),
      }),
    );
    for (const client of [alice, bob]) {
      expect(await client.next(() => true, 10_000)).to.deep.include({
        type: 'info',
        room_id: 'acme',
        user_id: '42',
        data: { type: 'info', data: 'backup done' },
      });
    }

    // And through the backend endpoint, which publishes with SqsNotificationQueue.
    const response = await gw.publish('globex', { type: 'alert', data: 'globex only' });
    expect(response.status).to.be.within(200, 299);
    expect(await carol.next(() => true, 10_000)).to.deep.include({ type: 'alert', room_id: 'globex', data: 'globex only' });

    await quiet();
    expect(alice.messages).to.deep.equal([]);
    expect(bob.messages).to.deep.equal([]);
    expect(carol.messages).to.deep.equal([]);
  });

  it('keeps connections and grants in DynamoDB, and removes a connection on disconnect', async function () {
    const { client, connectionId } = await gw.connectWithId('dave', 'initech');
    const { Item: connection } = await aws.documents.send(
      new GetCommand({ TableName: aws.config.tables.connections, Key: { connection_id: connectionId } }),
    );
    expect(connection).to.deep.include({ room_id: 'initech', user_id: 'dave' });
    expect(connection?.['expires_at']).to.be.a('number');
    const { Item: grant } = await aws.documents.send(
      new GetCommand({ TableName: aws.config.tables.grants, Key: { user_id: 'dave', room_id: 'initech' } }),
    );
    expect(grant?.['token_hash']).to.match(/^\$2[aby]\$04\$/);

    await client.close();
    await eventually(async () => !(await gw.isRegistered(connectionId)), 5_000, 'connection deleted on $disconnect');
  });
});
