import { expect } from 'chai';
import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { type RunningGateway, startGateway } from '../../../src/entrypoints/standalone/startGateway.js';
import { freePort } from '../../support/services/index.js';
import { TEST_JWT_SECRET, TEST_PASSCODE } from '../../support/notificationCore.js';
import { withProvisionedLocalAws } from './support/localAws.js';

const ADMIN_KEY = 'readiness-admin-key-0123456789';

describe('GET /ready and the SQS dead-letter queue (DynamoDB Local, fauxqs)', function () {
  this.timeout(60_000);
  const gateways: RunningGateway[] = [];
  // Registered before the fixture, so that the gateways stop before it destroys the clients.
  after(async () => {
    for (const gateway of gateways) await gateway.stop();
  });
  const aws = withProvisionedLocalAws();

  async function gatewayWith(extra: Record<string, string> = {}): Promise<RunningGateway> {
    const gateway = await startGateway({
      env: {
        ...aws().env,
        JWT_SECRET: TEST_JWT_SECRET,
        TOKEN_PASSCODE: TEST_PASSCODE,
        HERMES_ADMIN_KEY: ADMIN_KEY,
        HERMES_PORT: '0',
        BCRYPT_COST: '4',
        ...extra,
      },
      eventSource: false,
      shutdownGraceMs: 200,
    });
    gateways.push(gateway);
    return gateway;
  }

  async function ready(gateway: RunningGateway): Promise<{
    status: number;
    body: { status: string; failing: string[]; checks: Record<string, { ok: boolean; error?: string }> };
    ms: number;
  }> {
    const started = Date.now();
    const response = await fetch(`${gateway.url}/ready`);
    return { status: response.status, body: (await response.json()) as never, ms: Date.now() - started };
  }

  it('is ready when DynamoDB and SQS answer', async () => {
    const { status, body } = await ready(await gatewayWith());
    expect(status).to.equal(200);
    expect(body.status).to.equal('ready');
    expect(body.failing).to.deep.equal([]);
    expect(Object.keys(body.checks).sort()).to.deep.equal(['dynamodb', 'sqs']);
  });

  it('answers 503 within 2 s naming what does not answer: a missing queue, an unreachable DynamoDB', async () => {
    const closed = await freePort();
    const gateway = await gatewayWith({
      HERMES_QUEUE_NAME: 'hermes-no-such-queue',
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${closed}`,
      HERMES_AWS_CONNECT_TIMEOUT_MS: '5000',
      HERMES_AWS_REQUEST_TIMEOUT_MS: '5000',
    });
    const { status, body, ms } = await ready(gateway);
    expect(status).to.equal(503);
    expect(body.status).to.equal('not_ready');
    expect(body.failing.sort()).to.deep.equal(['dynamodb', 'sqs']);
    expect(body.checks['sqs']?.error).to.be.a('string').and.not.equal('');
    expect(ms).to.be.below(2_000);
  });

  it('lists, redrives and discards the dead letters of the SQS queue through the admin API', async () => {
    const gateway = await gatewayWith();
    const dlqName = `${aws().config.queue.name}-dlq`;
    const { QueueUrl: dlqUrl } = await aws().sqs.send(new GetQueueUrlCommand({ QueueName: dlqName }));
    const { QueueUrl: queueUrl } = await aws().sqs.send(new GetQueueUrlCommand({ QueueName: aws().config.queue.name }));
    const keep = await aws().sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: '{"room_id":"ops","data":"redrive me"}' }));
    const drop = await aws().sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: '{"room_id":"ops","data":"drop me"}' }));
    const admin = (path: string, method = 'GET'): Promise<Response> =>
      fetch(`${gateway.url}/${gateway.stage}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_KEY}` } });

    const listed = (await (await admin('/admin/dead-letters')).json()) as { deadLetters: Array<{ id: string; body: string }> };
    expect(listed.deadLetters.map((d) => d.id).sort()).to.deep.equal([keep.MessageId, drop.MessageId].sort());

    expect((await admin(`/admin/dead-letters/${keep.MessageId}/redrive`, 'POST')).status).to.equal(200);
    expect((await admin(`/admin/dead-letters/${drop.MessageId}/discard`, 'POST')).status).to.equal(200);
    expect((await admin(`/admin/dead-letters/${drop.MessageId}/discard`, 'POST')).status).to.equal(404);

    const { Messages = [] } = await aws().sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(Messages.map((m) => m.Body)).to.deep.equal(['{"room_id":"ops","data":"redrive me"}']);
    const left = await aws().sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    expect(left.Messages ?? []).to.deep.equal([]);
  });
});
