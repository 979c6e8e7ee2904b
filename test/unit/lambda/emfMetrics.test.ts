import type { Context, SQSRecord } from 'aws-lambda';
import { expect } from 'chai';
import sinon from 'sinon';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { RegisterConnection } from '../../../src/application/notifications/usecases/RegisterConnection.js';
import { loadConfig } from '../../../src/entrypoints/config/loadConfig.js';
import { composeAuthorizerFunction } from '../../../src/entrypoints/lambda/compose/authorizer.js';
import { createAuthorizerHandler } from '../../../src/entrypoints/lambda/handlers/authorizer.js';
import { createQueueHandler } from '../../../src/entrypoints/lambda/handlers/queue.js';
import { FakeSink } from '../../support/FakeSink.js';
import { handlerDeps } from '../../support/handlerDeps.js';
import { notificationCore, TEST_JWT_SECRET, TEST_PASSCODE } from '../../support/notificationCore.js';
import { RecordingLogger } from '../../support/RecordingLogger.js';

/**
 * CloudWatch Embedded Metric Format, as the Lambda runtime's log pipeline reads it: a JSON log line
 * with `_aws.CloudWatchMetrics[{Namespace, Dimensions, Metrics}]` and the values at the top level
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 */
interface EmfLine {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: ReadonlyArray<{
      readonly Namespace: string;
      readonly Dimensions: ReadonlyArray<readonly string[]>;
      readonly Metrics: ReadonlyArray<{ readonly Name: string; readonly Unit: string }>;
    }>;
  };
  readonly [key: string]: unknown;
}

/** What the environment of a deployed function holds (template.yaml: HERMES_STAGE = the Stage parameter). */
const LAMBDA_ENV = {
  JWT_SECRET: TEST_JWT_SECRET,
  TOKEN_PASSCODE: TEST_PASSCODE,
  BCRYPT_COST: '4',
  HERMES_STAGE: 'production',
  AWS_LAMBDA_FUNCTION_NAME: 'hermes-production-fn',
};

const CONTEXT = { functionName: 'hermes-production-fn', awsRequestId: 'req-1' } as Context;

/** Runs `invoke` with stdout captured; returns the EMF lines written. */
async function emfOf(invoke: () => Promise<unknown>): Promise<EmfLine[]> {
  const written: string[] = [];
  const write = sinon.stub(process.stdout, 'write').callsFake((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await invoke();
  } finally {
    write.restore();
  }
  return written
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.startsWith('{') && line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
}

/** The EMF line that carries `metric`. */
function lineWith(lines: readonly EmfLine[], metric: string, dimensions: Record<string, string> = {}): EmfLine {
  const line = lines.find((l) => metric in l && Object.entries(dimensions).every(([k, v]) => l[k] === v));
  expect(line, `an EMF line with ${metric} ${JSON.stringify(dimensions)}`).to.not.equal(undefined);
  return line as EmfLine;
}

function record(messageId: string, body: unknown, receiveCount: number): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '0',
      SenderId: 'x',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:hermes-notifications',
    awsRegion: 'eu-west-1',
  };
}

describe('Lambda metrics (Powertools Metrics, CloudWatch EMF)', () => {
  // The Lambda runtime sets it; Powertools counts a cold start only for on-demand environments (not provisioned concurrency).
  const initialization = process.env['AWS_LAMBDA_INITIALIZATION_TYPE'];
  before(() => {
    process.env['AWS_LAMBDA_INITIALIZATION_TYPE'] = 'on-demand';
  });
  after(() => {
    if (initialization === undefined) delete process.env['AWS_LAMBDA_INITIALIZATION_TYPE'];
    else process.env['AWS_LAMBDA_INITIALIZATION_TYPE'] = initialization;
  });

  it('writes the authorizer’s connect result and the cold start in namespace hermes, dimension stage', async () => {
    const handler = createAuthorizerHandler(composeAuthorizerFunction(loadConfig(LAMBDA_ENV), { logger: new RecordingLogger() }));
    const event = {
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc/production/$connect',
      queryStringParameters: { token: 'garbage' },
    };
    const first = await emfOf(() => handler(event as never, CONTEXT));

    const connects = lineWith(first, 'hermes_connects_total');
    expect(connects).to.include({ hermes_connects_total: 1, result: 'denied', stage: 'production', service: 'hermes' });
    const [directive] = connects._aws.CloudWatchMetrics;
    expect(directive?.Namespace).to.equal('hermes');
    expect(directive?.Metrics).to.deep.equal([{ Name: 'hermes_connects_total', Unit: 'Count' }]);
    expect(directive?.Dimensions[0]).to.include.members(['stage', 'result']);

    const cold = lineWith(first, 'ColdStart');
    expect(cold).to.include({ ColdStart: 1, function_name: 'hermes-production-fn', stage: 'production' });
    expect(cold._aws.CloudWatchMetrics[0]?.Namespace).to.equal('hermes');

    // A warm invocation: the connect counted again, no second cold start.
    const second = await emfOf(() => handler(event as never, CONTEXT));
    expect(lineWith(second, 'hermes_connects_total')).to.include({ hermes_connects_total: 1, result: 'denied' });
    expect(second.filter((l) => 'ColdStart' in l)).to.deep.equal([]);
  });

  it('writes one line per label set for a queue batch: deliveries by outcome, records by result, the broadcast time', async () => {
    const core = notificationCore(LAMBDA_ENV);
    const register = core.get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection);
    for (const id of ['a-1', 'a-2', 'a-3']) await register.execute({ connectionId: id, roomId: 'acme', userId: `u-${id}` });
    // a-3 has no socket in this process: the in-process notifier reports it gone (API Gateway's 410).
    core.registry.register('a-1', new FakeSink());
    core.registry.register('a-2', new FakeSink());
    const deps = handlerDeps(core.container);
    const handler = createQueueHandler({ ...deps, logger: new RecordingLogger(), maxReceiveCount: 5 });

    const lines = await emfOf(() =>
      handler(
        {
          Records: [
            record('m-1', { room_id: 'acme', data: 'one' }, 1),
            record('m-3', 'not a notification', 2),
            record('m-4', 'not a notification either', 5),
          ],
        },
        CONTEXT,
      ),
    );

    // One broadcast to three connections: two delivered, a-3 found gone (and deleted).
    expect(lineWith(lines, 'hermes_deliveries_total', { outcome: 'delivered' })).to.include({
      hermes_deliveries_total: 2,
      stage: 'production',
    });
    expect(lineWith(lines, 'hermes_deliveries_total', { outcome: 'gone' })).to.include({ hermes_deliveries_total: 1 });
    expect(lineWith(lines, 'hermes_queue_records_total', { result: 'delivered' })).to.include({ hermes_queue_records_total: 1 });
    expect(lineWith(lines, 'hermes_queue_records_total', { result: 'retried' })).to.include({ hermes_queue_records_total: 1 });
    expect(lineWith(lines, 'hermes_queue_records_total', { result: 'dead_lettered' })).to.include({ hermes_queue_records_total: 1 });
    const durations = lineWith(lines, 'hermes_broadcast_duration_seconds');
    expect(durations['hermes_broadcast_duration_seconds']).to.be.a('number').within(0, 5);
    expect(durations._aws.CloudWatchMetrics[0]?.Metrics).to.deep.include({ Name: 'hermes_broadcast_duration_seconds', Unit: 'Seconds' });
    expect(durations._aws.CloudWatchMetrics[0]?.Dimensions[0]).to.deep.equal(['service', 'stage']);
    for (const line of lines) {
      expect(Object.keys(line)).to.not.include.members(['room_id', 'roomId', 'user_id', 'connectionId']);
    }
  });
});
