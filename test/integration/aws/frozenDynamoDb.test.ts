import { expect } from 'chai';
import { GetQueueUrlCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { SHARED_TOKENS } from '../../../src/application/shared/tokens.js';
import { RecordingLogger } from '../../support/RecordingLogger.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../support/services/index.js';
import { testEnv, TestClient, UpgradeRefused, startTestGateway, type TestGateway } from '../../e2e/gateway/support/gatewayHarness.js';
import { provisionedLocalAws, type ProvisionedLocalAws } from './support/localAws.js';

/** API Gateway's integration timeout: a connect must be answered well within it. */
const API_GATEWAY_INTEGRATION_TIMEOUT_MS = 29_000;

async function statusOfConnect(url: string): Promise<number> {
  try {
    const client = await TestClient.open(url, { handshakeTimeout: 60_000 });
    await client.close();
    return 101;
  } catch (error) {
    if (error instanceof UpgradeRefused) return error.status;
    throw error;
  }
}

/**
 * DynamoDB that stops answering (a JVM frozen with SIGSTOP: the kernel still accepts connections,
 * nothing replies). Every SDK call has a request timeout, so the authorizer fails in bounded time
 * (5xx, as API Gateway answers a failed authorizer) and the SQS poller goes on polling.
 */
describe('a frozen DynamoDB (SIGSTOP) on the DynamoDB adapters (issue 10, point 4)', function () {
  this.timeout(120_000);
  let ddb: DynamoDbLocal;
  let aws: ProvisionedLocalAws;
  let gw: TestGateway;
  let queueUrl: string;
  const logger = new RecordingLogger();

  before(async function () {
    ddb = await startDynamoDbLocal();
    aws = await provisionedLocalAws({ AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint });
    // The default SDK timeouts (HERMES_AWS_*_TIMEOUT_MS unset): the bound measured is the shipped one.
    const { HERMES_AWS_CONNECT_TIMEOUT_MS: _connect, HERMES_AWS_REQUEST_TIMEOUT_MS: _request, ...shipped } = aws.env;
    const env = testEnv({ ...shipped, HERMES_NOTIFIER: 'inprocess' });
    gw = await startTestGateway({ profile: 'localstack', values: [[SHARED_TOKENS.Logger, logger]], envExtra: env, actionRunner: false });
    ({ QueueUrl: queueUrl = '' } = await aws.sqs.send(new GetQueueUrlCommand({ QueueName: aws.config.queue.name })));
  });

  after(async function () {
    ddb?.thaw();
    await gw?.stop();
    aws?.destroy();
    await ddb?.stop();
  });

  it('answers a connect with a 5xx well within 29 s, the poller keeps polling, and all recovers after SIGCONT', async function () {
    const token = await gw.token('alice', 'acme');
    const url = `${gw.websocketUrl}?token=${encodeURIComponent(token)}`;
    const listener = await TestClient.open(url);

    ddb.freeze();
    try {
      const started = Date.now();
      const status = await statusOfConnect(url);
      const elapsed = Date.now() - started;
      expect(status, `HTTP ${status} after ${elapsed} ms`).to.be.within(500, 599);
      expect(elapsed, `HTTP ${status} after ${elapsed} ms`).to.be.below(API_GATEWAY_INTEGRATION_TIMEOUT_MS * 0.7);

      // A queued notification needs DynamoDB (the room's connections): its handling fails in bounded time, the poller survives.
      const failuresBefore = logger.lines.filter((line) => line.message === 'queued notification failed').length;
      await aws.sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ room_id: 'acme', data: 'after the thaw' }) }),
      );
      const deadline = Date.now() + API_GATEWAY_INTEGRATION_TIMEOUT_MS;
      while (logger.lines.filter((line) => line.message === 'queued notification failed').length === failuresBefore) {
        if (Date.now() > deadline) throw new Error('the queue poller did not come back from a frozen DynamoDB');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      ddb.thaw();
    }

    // The failed record is released, received again by the same poller, and delivered.
    const message = await listener.next((m) => m['data'] === 'after the thaw', 30_000);
    expect(message).to.include({ room_id: 'acme' });
    const again = await TestClient.open(url);
    await again.close();
    await listener.close();
  });
});
