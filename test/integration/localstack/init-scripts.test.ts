import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { DescribeTableCommand, DescribeTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { PROJECT_ROOT } from '../../../scripts/build-lambda.js';
import { createDynamoClient, createSecretsManagerClient, createSqsClient } from '../../../src/adapters/aws/clients.js';
import { loadAwsConfig } from '../../../src/entrypoints/config/awsConfig.js';
import { provision } from '../../../src/entrypoints/provision/provision.js';
import { tableDefinitions } from '../../../src/entrypoints/provision/tableDefinitions.js';
import { dynamoDbLocal, freePort, LOCAL_CREDENTIALS, LOCAL_REGION, sqsEmulator, uniqueName } from '../../support/services/index.js';
import { startSecretsManagerStore, type SecretsManagerStore } from './support/secretsManagerStore.js';

const execFileAsync = promisify(execFile);
const READY_D = join(PROJECT_ROOT, 'localstack', 'init', 'ready.d');
const PROVISION_SCRIPT = join(READY_D, '10-hermes-provision.sh');
const LAMBDA_SCRIPT = join(READY_D, '20-hermes-lambdas.sh');

interface ScriptRun {
  readonly code: number;
  readonly output: string;
}

async function runScript(script: string, env: Record<string, string>): Promise<ScriptRun> {
  try {
    // Every AWS CLI call starts a Python interpreter: on a loaded machine four tables, two queues and the secrets take minutes.
    const { stdout, stderr } = await execFileAsync('bash', [script], { env, timeout: 300_000 });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** AWS CLIs that may be installed: the one on PATH first. */
const AWS_CLI_CANDIDATES = ['aws', '/usr/local/bin/aws', '/usr/bin/aws', join(process.env['HOME'] ?? '/root', '.pyenv', 'shims', 'aws')];

/**
 * An AWS CLI that works against fauxqs: fauxqs speaks SQS's JSON protocol only, which the CLI uses
 * from v1.31 / v2.15 on (older ones, e.g. Debian 12's 2.9, send the query protocol). LocalStack
 * speaks both, so any CLI does there.
 */
async function usableAwsCli(sqsEndpoint: string): Promise<{ cli: string; version: string } | { problem: string }> {
  const problems: string[] = [];
  for (const cli of AWS_CLI_CANDIDATES) {
    let version: string;
    try {
      const { stdout, stderr } = await execFileAsync(cli, ['--version']);
      version = `${stdout}${stderr}`.trim();
    } catch {
      continue;
    }
    try {
      await execFileAsync(cli, ['sqs', 'list-queues', '--endpoint-url', sqsEndpoint, '--region', LOCAL_REGION], {
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_PAGER: '' },
        timeout: 60_000,
      });
      return { cli, version };
    } catch {
      problems.push(`${cli} (${version}) speaks SQS's query protocol`);
    }
  }
  return { problem: problems.length > 0 ? problems.join('; ') : 'no AWS CLI is installed' };
}

/**
 * The LocalStack init scripts, run as LocalStack would run them but against the local stand-ins
 * (DynamoDB Local, fauxqs, a Secrets Manager fake) through AWS_ENDPOINT_URL_<SERVICE>: they must
 * leave exactly what `hermes provision --with-secrets` defines. There is no Lambda emulator here,
 * so the function deployment is checked on LocalStack only.
 */
describe('LocalStack init scripts (against DynamoDB Local, fauxqs and a Secrets Manager fake)', function () {
  this.timeout(360_000);

  let home: string;
  let secrets: SecretsManagerStore;
  let dynamo: DynamoDBClient;
  let sqs: SQSClient;
  let env: Record<string, string>;
  let firstRun: ScriptRun;
  const names = {
    connections: uniqueName('init-connections'),
    grants: uniqueName('init-grants'),
    runLedger: uniqueName('init-run-ledger'),
    history: uniqueName('init-history'),
    queue: uniqueName('init-notifications'),
  };
  const secretPrefix = `${uniqueName('hermes-init')}/`;
  const jwtSecret = `jwt-${uniqueName('secret')}-0123456789abcdef0123456789`;

  /** `hermes provision --with-secrets --dry-run` against the same services: what it would still change. */
  const provisionWouldChange = async (): Promise<string[]> => {
    const hermesEnv = {
      HERMES_CONNECTIONS_TABLE: names.connections,
      HERMES_GRANTS_TABLE: names.grants,
      HERMES_RUN_LEDGER_TABLE: names.runLedger,
      HERMES_HISTORY_TABLE: names.history,
      HERMES_QUEUE_NAME: names.queue,
      JWT_SECRET_ARN: `${secretPrefix}JWT_SECRET`,
      TOKEN_PASSCODE_SECRET_ARN: `${secretPrefix}TOKEN_PASSCODE`,
      AWS_ENDPOINT_URL_DYNAMODB: env['AWS_ENDPOINT_URL_DYNAMODB'],
      AWS_ENDPOINT_URL_SQS: env['AWS_ENDPOINT_URL_SQS'],
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    };
    const config = loadAwsConfig(hermesEnv, 'localstack');
    const secretsManager = createSecretsManagerClient({ region: LOCAL_REGION, endpoint: secrets.endpoint, credentials: LOCAL_CREDENTIALS });
    try {
      const steps = await provision(config, hermesEnv, { dynamodb: dynamo, sqs, secretsManager }, { dryRun: true, withSecrets: true });
      return steps.filter((step) => step.action !== 'none').map((step) => `${step.action} ${step.kind} ${step.name}`);
    } finally {
      secretsManager.destroy();
    }
  };

  before(async function () {
    const [ddb, queues] = await Promise.all([dynamoDbLocal(), sqsEmulator()]);
    const aws = await usableAwsCli(queues.endpoint);
    if ('problem' in aws) {
      // The scripts drive the AWS CLI (Debian package awscli, or pip's awscli >= 1.31).
      console.warn(`    skipped: no AWS CLI usable against fauxqs: ${aws.problem}`);
      this.skip();
    }
    secrets = await startSecretsManagerStore();
    home = mkdtempSync(join(tmpdir(), 'hermes-init-home-'));
    dynamo = createDynamoClient({ region: LOCAL_REGION, endpoint: ddb.endpoint, credentials: LOCAL_CREDENTIALS });
    sqs = createSqsClient({ region: LOCAL_REGION, endpoint: queues.endpoint, credentials: LOCAL_CREDENTIALS });
    env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      // Nothing of this machine's AWS configuration.
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
      AWS_ENDPOINT_URL_SQS: queues.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      HERMES_CONNECTIONS_TABLE: names.connections,
      HERMES_GRANTS_TABLE: names.grants,
      HERMES_RUN_LEDGER_TABLE: names.runLedger,
      HERMES_HISTORY_TABLE: names.history,
      HERMES_QUEUE_NAME: names.queue,
      HERMES_SECRET_PREFIX: secretPrefix,
      HERMES_AWS_CLI: aws.cli,
      JWT_SECRET: jwtSecret,
    };
    firstRun = await runScript(PROVISION_SCRIPT, env);
  });

  after(async function () {
    dynamo?.destroy();
    sqs?.destroy();
    await secrets?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  describe('10-hermes-provision.sh', function () {
    it('runs to the end', function () {
      expect(firstRun.code, firstRun.output).to.equal(0);
      expect(firstRun.output).to.include('provisioned; HERMES_QUEUE_URL=');
    });

    it('creates the tables with the keys and index of the provisioning definitions', async function () {
      for (const definition of tableDefinitions(names)) {
        const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: definition.input.TableName }));
        expect(Table?.KeySchema, definition.purpose).to.deep.equal(definition.input.KeySchema);
        const attributes = (list: Array<{ AttributeName?: string }> | undefined): string[] =>
          (list ?? []).map((attribute) => JSON.stringify(attribute)).sort();
        expect(attributes(Table?.AttributeDefinitions), definition.purpose).to.deep.equal(
          attributes(definition.input.AttributeDefinitions),
        );
        const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
          IndexName: index.IndexName,
          KeySchema: index.KeySchema,
          ProjectionType: index.Projection?.ProjectionType,
          NonKeyAttributes: [...(index.Projection?.NonKeyAttributes ?? [])].sort(),
        }));
        expect(indexes, definition.purpose).to.deep.equal(
          (definition.input.GlobalSecondaryIndexes ?? []).map((index) => ({
            IndexName: index.IndexName,
            KeySchema: index.KeySchema,
            ProjectionType: index.Projection?.ProjectionType,
            NonKeyAttributes: [...(index.Projection?.NonKeyAttributes ?? [])].sort(),
          })),
        );
      }
    });

    it('enables TTL on expires_at of every table', async function () {
      for (const definition of tableDefinitions(names)) {
        const { TimeToLiveDescription } = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: definition.input.TableName }));
        expect(TimeToLiveDescription, definition.purpose).to.deep.include({
          TimeToLiveStatus: 'ENABLED',
          AttributeName: definition.ttlAttribute,
        });
      }
    });

    it('creates the notification queue, redriven to its DLQ, hidden 180 s per receive', async function () {
      const url = async (name: string): Promise<string> => {
        const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
        if (!QueueUrl) throw new Error(`no queue ${name}`);
        return QueueUrl;
      };
      const attributes = async (name: string): Promise<Record<string, string>> =>
        (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: await url(name), AttributeNames: ['All'] }))).Attributes ?? {};
      const deadLetter = await attributes(`${names.queue}-dlq`);
      const queue = await attributes(names.queue);
      expect(deadLetter['MessageRetentionPeriod']).to.equal('1209600');
      expect(queue['VisibilityTimeout']).to.equal('180');
      const redrive = JSON.parse(queue['RedrivePolicy'] ?? '{}') as Record<string, unknown>;
      expect(redrive['deadLetterTargetArn']).to.equal(deadLetter['QueueArn']);
      expect(String(redrive['maxReceiveCount'])).to.equal('5');
    });

    it('creates the secrets (JWT_SECRET from the environment, TOKEN_PASSCODE random) and never prints them', function () {
      expect(secrets.secret(`${secretPrefix}JWT_SECRET`)?.value).to.equal(jwtSecret);
      const passcode = secrets.secret(`${secretPrefix}TOKEN_PASSCODE`)?.value ?? '';
      expect(passcode).to.match(/^[A-Za-z0-9]{32}$/);
      expect(secrets.names().filter((name) => name.startsWith(secretPrefix)).sort()).to.deep.equal([
        `${secretPrefix}JWT_SECRET`,
        `${secretPrefix}TOKEN_PASSCODE`,
      ]);
      expect(firstRun.output).not.to.include(jwtSecret);
      expect(firstRun.output).not.to.include(passcode);
    });

    it('leaves nothing for `hermes provision --with-secrets` to do: the same resources', async function () {
      expect(await provisionWouldChange()).to.deep.equal([]);
    });

    it('is idempotent: a second run succeeds and changes nothing', async function () {
      const versions = secrets.names().map((name) => secrets.secret(name)?.versionId);
      const second = await runScript(PROVISION_SCRIPT, { ...env, JWT_SECRET: 'another-value-that-must-not-replace-the-first' });
      expect(second.code, second.output).to.equal(0);
      expect(second.output).to.include(`table ${names.connections}: exists`);
      expect(secrets.names().map((name) => secrets.secret(name)?.versionId)).to.deep.equal(versions);
      expect(secrets.secret(`${secretPrefix}JWT_SECRET`)?.value).to.equal(jwtSecret);
      expect(await provisionWouldChange()).to.deep.equal([]);
    });

    it('stores the Port credentials only when they are given', async function () {
      const prefix = `${uniqueName('hermes-port')}/`;
      const run = await runScript(PROVISION_SCRIPT, {
        ...env,
        HERMES_SECRET_PREFIX: prefix,
        PORT_CLIENT_ID: 'port-client-id-example',
        PORT_CLIENT_SECRET: 'port-client-secret-example',
      });
      expect(run.code, run.output).to.equal(0);
      expect(secrets.secret(`${prefix}PORT_CLIENT_ID`)?.value).to.equal('port-client-id-example');
      expect(secrets.secret(`${prefix}PORT_CLIENT_SECRET`)?.value).to.equal('port-client-secret-example');
      expect(run.output).not.to.include('port-client-secret-example');
    });
  });

  describe('20-hermes-lambdas.sh', function () {
    it('does nothing with SKIP_LAMBDA_DEPLOY=1 (no AWS call: the Lambda endpoint is a closed port)', async function () {
      const closed = `http://127.0.0.1:${await freePort()}`;
      const run = await runScript(LAMBDA_SCRIPT, { ...env, SKIP_LAMBDA_DEPLOY: '1', AWS_ENDPOINT_URL_LAMBDA: closed, AWS_ENDPOINT_URL_IAM: closed });
      expect(run.code, run.output).to.equal(0);
      expect(run.output).to.include('SKIP_LAMBDA_DEPLOY=1: Lambda functions not deployed');
    });

    it('refuses to deploy without the bundles, naming the build command', async function () {
      const run = await runScript(LAMBDA_SCRIPT, { ...env, HERMES_LAMBDA_DIST: join(home, 'no-bundles') });
      expect(run.code).to.equal(1);
      expect(run.output).to.include('npm run build:lambda');
    });

    it('refuses an unknown HERMES_QUEUE_CONSUMER', async function () {
      const run = await runScript(LAMBDA_SCRIPT, { ...env, HERMES_QUEUE_CONSUMER: 'both' });
      expect(run.code).to.equal(1);
      expect(run.output).to.include('HERMES_QUEUE_CONSUMER must be gateway or lambda');
    });

    // Creating the functions and the SQS event source mapping needs a Lambda API: no emulator runs here
    // (LocalStack needs a Docker engine), so that part is exercised by `docker compose up` in localstack/ only.
  });
});
