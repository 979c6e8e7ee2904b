import { expect } from 'chai';
import type { CommandIo } from '../../../src/entrypoints/cli/Command.js';
import { runCli } from '../../../src/entrypoints/cli/main.js';
import { loadAwsConfig } from '../../../src/entrypoints/config/awsConfig.js';
import {
  describeServiceError,
  ServiceCallError,
  ServiceUnreachableError,
} from '../../../src/entrypoints/provision/describeServiceError.js';
import { ProvisionConflictError } from '../../../src/entrypoints/provision/ProvisionStep.js';
import { freePort } from '../../support/services/index.js';
import { localAwsEnv } from './support/localAws.js';

function capture(env: Record<string, string | undefined>): { io: CommandIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env }, out: () => out, err: () => err };
}

describe('hermes provision: an unreachable service is named with the variable that sets its endpoint', function () {
  this.timeout(60_000);

  it('--with-secrets, Secrets Manager down (DynamoDB Local and fauxqs up): names Secrets Manager and AWS_ENDPOINT_URL_SECRETS_MANAGER', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = capture(await localAwsEnv({ AWS_ENDPOINT_URL_SECRETS_MANAGER: closed }));
    expect(await runCli(['provision', '--with-secrets'], run.io)).to.equal(1);
    expect(run.err()).to.match(
      new RegExp(
        `^hermes provision: cannot reach Secrets Manager at ${closed} \\(from AWS_ENDPOINT_URL_SECRETS_MANAGER\\): connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\n$`,
      ),
    );
  });

  it('DynamoDB down: names DynamoDB and AWS_ENDPOINT_URL_DYNAMODB; SQS down: names SQS and AWS_ENDPOINT_URL_SQS', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const dynamo = capture(await localAwsEnv({ AWS_ENDPOINT_URL_DYNAMODB: closed }));
    expect(await runCli(['provision'], dynamo.io)).to.equal(1);
    expect(dynamo.err()).to.include(`cannot reach DynamoDB at ${closed} (from AWS_ENDPOINT_URL_DYNAMODB): connect ECONNREFUSED`);
    const sqs = capture(await localAwsEnv({ AWS_ENDPOINT_URL_SQS: closed }));
    expect(await runCli(['provision'], sqs.io)).to.equal(1);
    expect(sqs.err()).to.include(`cannot reach SQS at ${closed} (from AWS_ENDPOINT_URL_SQS): connect ECONNREFUSED`);
  });

  it('an endpoint from AWS_ENDPOINT_URL says so, and never prints the userinfo of an endpoint URL', async () => {
    const port = await freePort();
    const env = { AWS_ENDPOINT_URL: `http://user:hunter2@127.0.0.1:${port}` };
    const run = capture(env);
    expect(await runCli(['provision', '--profile', 'localstack'], run.io)).to.equal(1);
    expect(run.err()).to.include(
      `cannot reach DynamoDB at http://***@127.0.0.1:${port} (from AWS_ENDPOINT_URL; AWS_ENDPOINT_URL_DYNAMODB sets this service's alone)`,
    );
    expect(run.err()).to.not.include('hunter2');
  });
});

describe('describeServiceError', () => {
  const config = loadAwsConfig({}, 'localstack');

  it('classifies: unreachable is transient, a service error is permanent, hermes errors pass through', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
    const unreachable = describeServiceError('sqs', config, {}, refused);
    expect(unreachable).to.be.instanceOf(ServiceUnreachableError).and.include({ retryable: true, cause: refused });
    expect(unreachable.message).to.equal(
      "cannot reach SQS at http://localhost:4566 (LocalStack's default; set AWS_ENDPOINT_URL_SQS (or AWS_ENDPOINT_URL) to where it runs): connect ECONNREFUSED 127.0.0.1:4566",
    );

    // localhost resolves to ::1 and 127.0.0.1: Node then throws an AggregateError with an empty message.
    const both = new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:4566'), { code: 'ECONNREFUSED' }), refused], '');
    expect(describeServiceError('dynamodb', config, {}, both).message).to.match(
      /cannot reach DynamoDB .*: connect ECONNREFUSED ::1:4566; connect ECONNREFUSED 127/,
    );

    const denied = Object.assign(new Error('User is not authorized'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    const failed = describeServiceError('secretsManager', config, { AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://localhost:4566' }, denied);
    expect(failed).to.be.instanceOf(ServiceCallError).and.include({ retryable: false });
    expect(failed.message).to.equal(
      'Secrets Manager at http://localhost:4566 (from AWS_ENDPOINT_URL_SECRETS_MANAGER) failed: AccessDeniedException: User is not authorized',
    );

    const conflict = new ProvisionConflictError('table x has another key schema');
    expect(describeServiceError('dynamodb', config, {}, conflict)).to.equal(conflict);
  });

  it('on the aws profile without endpoint variables, names the region and the variable', () => {
    const aws = loadAwsConfig({ AWS_REGION: 'eu-west-1' }, 'aws');
    const error = describeServiceError('dynamodb', aws, {}, Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }));
    expect(error.message).to.equal(
      'cannot reach DynamoDB at the AWS endpoint of eu-west-1 (set AWS_ENDPOINT_URL_DYNAMODB to call another endpoint): getaddrinfo ENOTFOUND x',
    );
  });
});
