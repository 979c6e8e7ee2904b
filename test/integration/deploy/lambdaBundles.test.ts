import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { CreateTableCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PROJECT_ROOT } from '../../../scripts/build-lambda.js';
import { runBundle } from '../../../scripts/lib/invokeBundle.js';
import { createDynamoClient, createDynamoDocumentClient } from '../../../src/adapters/aws/clients.js';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { IssueConnectionToken } from '../../../src/application/notifications/usecases/IssueConnectionToken.js';
import { buildContainer } from '../../../src/entrypoints/container.js';
import { tableDefinitions } from '../../../src/entrypoints/provision/tableDefinitions.js';
import {
  dynamoDbLocal,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startFakeSecretsManager,
  uniqueName,
  type FakeSecretsManager,
} from '../../support/services/index.js';
import { lambdaBuild, type LambdaBuild } from '../../unit/deploy/support/lambdaBuild.js';

const EVENTS = join(PROJECT_ROOT, 'events');

/**
 * The deployed artefacts on real AWS-shaped services: the authorizer, connect and disconnect bundles
 * (AWS SDK bundled inside) on the `localstack` profile against DynamoDB Local, reading the JWT key
 * from Secrets Manager by ARN variable, as template.yaml configures them.
 */
describe('Lambda bundles on AWS adapters (DynamoDB Local, Secrets Manager fake)', function () {
  this.timeout(120_000);

  const jwtSecret = `jwt-${uniqueName('bundles')}-0123456789abcdef0123456789abcdef`;
  const passcode = `passcode-${uniqueName('bundles')}`;
  const tables = {
    connections: uniqueName('bundle-connections'),
    grants: uniqueName('bundle-grants'),
    runLedger: uniqueName('bundle-runs'),
  };
  let build: LambdaBuild;
  let secretsManager: FakeSecretsManager;
  let dynamo: DynamoDBClient;
  let documents: DynamoDBDocumentClient;
  let scratch: string;
  let bundleEnv: Record<string, string>;

  before(async function () {
    build = await lambdaBuild();
    const ddb = await dynamoDbLocal();
    secretsManager = await startFakeSecretsManager({ 'hermes/JWT_SECRET': jwtSecret, 'hermes/TOKEN_PASSCODE': passcode });
    dynamo = createDynamoClient({ region: LOCAL_REGION, endpoint: ddb.endpoint, credentials: LOCAL_CREDENTIALS });
    documents = createDynamoDocumentClient({ region: LOCAL_REGION, endpoint: ddb.endpoint, credentials: LOCAL_CREDENTIALS });
    for (const definition of tableDefinitions(tables)) {
      await dynamo.send(new CreateTableCommand(definition.input));
      await dynamo.send(
        new UpdateTimeToLiveCommand({
          TableName: definition.input.TableName,
          TimeToLiveSpecification: { AttributeName: definition.ttlAttribute, Enabled: true },
        }),
      );
    }
    scratch = mkdtempSync(join(tmpdir(), 'hermes-bundles-aws-'));
    bundleEnv = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HERMES_PROFILE: 'localstack',
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
      JWT_SECRET_ARN: secretsManager.arnOf('hermes/JWT_SECRET'),
      TOKEN_PASSCODE_SECRET_ARN: secretsManager.arnOf('hermes/TOKEN_PASSCODE'),
      HERMES_CONNECTIONS_TABLE: tables.connections,
      HERMES_GRANTS_TABLE: tables.grants,
      HERMES_RUN_LEDGER_TABLE: tables.runLedger,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    };
  });

  after(async function () {
    dynamo?.destroy();
    documents?.destroy();
    await secretsManager?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const withEvent = (sample: string, change: (event: Record<string, unknown>) => Record<string, unknown>): string => {
    const file = join(scratch, `${uniqueName(sample)}.json`);
    writeFileSync(file, JSON.stringify(change(JSON.parse(readFileSync(join(EVENTS, sample), 'utf8')) as Record<string, unknown>)));
    return file;
  };

  it('authorizer: allows a token issued for the user and room, with the JWT key read from Secrets Manager', async function () {
    // The token-issuing backend: same grants table and secrets.
    const issuer = buildContainer('localstack', {
      env: { ...bundleEnv, JWT_SECRET: jwtSecret, TOKEN_PASSCODE: passcode, BCRYPT_COST: '4' },
    });
    const { token } = await issuer.get<IssueConnectionToken>(NOTIFICATION_TOKENS.IssueConnectionToken).execute({
      userId: 'user-42',
      roomId: 'company-7',
    });
    const event = withEvent('authorizer.json', (sample) => ({ ...sample, queryStringParameters: { token } }));
    const run = await runBundle(join(build.outDir, 'authorizer', 'index.mjs'), event, { env: bundleEnv, cwd: scratch });
    expect(run.ok, `${run.errorType}: ${run.errorMessage}\n${run.output}`).to.equal(true);
    expect(run.result).to.deep.include({ principalId: 'user-42', context: { room_id: 'company-7', user_id: 'user-42' } });
    expect(run.result).to.have.nested.property('policyDocument.Statement[0].Effect', 'Allow');
    expect(secretsManager.calls('hermes/JWT_SECRET')).to.equal(1);
  });

  it('connect then disconnect: the connection item is written with its expiry, then deleted', async function () {
    const connectionId = `${uniqueName('conn')}=`;
    const withConnection = (sample: string): string =>
      withEvent(sample, (event) => ({
        ...event,
        requestContext: { ...(event['requestContext'] as object), connectionId, connectedAt: Date.now() },
      }));
    const connect = await runBundle(join(build.outDir, 'connect', 'index.mjs'), withConnection('connect.json'), {
      env: bundleEnv,
      cwd: scratch,
    });
    expect(connect.result, connect.output).to.deep.equal({ statusCode: 200 });
    const { Item } = await documents.send(new GetCommand({ TableName: tables.connections, Key: { connection_id: connectionId } }));
    expect(Item).to.include({ connection_id: connectionId, room_id: 'company-7', user_id: 'user-42' });
    expect(Item?.['expires_at'])
      .to.be.a('number')
      .greaterThan(Date.now() / 1000);

    const disconnect = await runBundle(join(build.outDir, 'disconnect', 'index.mjs'), withConnection('disconnect.json'), {
      env: bundleEnv,
      cwd: scratch,
    });
    expect(disconnect.result, disconnect.output).to.deep.equal({ statusCode: 200 });
    const after = await documents.send(new GetCommand({ TableName: tables.connections, Key: { connection_id: connectionId } }));
    expect(after.Item).to.equal(undefined);
  });
});
