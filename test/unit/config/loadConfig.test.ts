import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { DynamoRunLedger } from '../../../src/adapters/aws/DynamoRunLedger.js';
import { InMemoryRunLedger } from '../../../src/adapters/memory/InMemoryRunLedger.js';
import { ConfigurationError } from '../../../src/entrypoints/config/ConfigurationError.js';
import { fileDevSecrets } from '../../../src/entrypoints/config/devSecrets.js';
import { kafkaSection } from '../../../src/entrypoints/config/kafkaConfig.js';
import { loadConfig } from '../../../src/entrypoints/config/loadConfig.js';
import { portSection } from '../../../src/entrypoints/config/portConfig.js';
import { runLedger } from '../../../src/entrypoints/di/adapters/runLedger.js';
import { createWiring } from '../../../src/entrypoints/di/wiring.js';
import { gatewaySection } from '../../../src/entrypoints/standalone/config/gatewayConfig.js';
import { InMemoryQueueSource } from '../../../src/entrypoints/standalone/queue/InMemoryQueueSource.js';
import { queueSource } from '../../../src/entrypoints/standalone/queue/selectQueueSource.js';
import { SqsQueueSource } from '../../../src/entrypoints/standalone/queue/SqsQueueSource.js';
import { PermanentError } from '../../../src/domain/shared/HermesError.js';

function problemsOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  throw new Error('expected a ConfigurationError');
}

describe('loadConfig', () => {
  it('lists every problem of every section read in one ConfigurationError (core, AWS, gateway, Kafka, Port)', () => {
    const secret = 'not-long-enough-secret';
    const problems = problemsOf(() =>
      loadConfig(
        {
          HERMES_PROFILE: 'aws',
          JWT_SECRET: secret,
          BCRYPT_COST: '99',
          AWS_ENDPOINT_URL_SQS: 'not a url',
          HERMES_PORT: 'eighty',
          KAFKA_BROKERS: 'nohostport',
        },
        { sections: [gatewaySection(), kafkaSection, portSection] },
      ),
    );
    const variables = problems.map((problem) => problem.split(':')[0]);
    expect(variables).to.include.members([
      'JWT_SECRET',
      'BCRYPT_COST',
      'TOKEN_PASSCODE',
      'AWS_ENDPOINT_URL_SQS',
      'HERMES_PORT',
      'HERMES_ADMIN_KEY',
      'KAFKA_BROKERS',
      'KAFKA_RUNS_TOPIC',
      'PORT_CLIENT_ID',
    ]);
    expect(problems.join('\n')).not.to.include(secret);
  });

  it('is a PermanentError with a stable code', () => {
    try {
      loadConfig({ BCRYPT_COST: 'x' });
      expect.fail('expected a ConfigurationError');
    } catch (error) {
      expect(error).to.be.instanceOf(PermanentError);
      expect(error).to.include({ code: 'CONFIGURATION_INVALID', retryable: false, name: 'ConfigurationError' });
    }
  });

  it('reads the sections asked for, and only those', () => {
    const config = loadConfig({ HERMES_CONNECTIONS_ENDPOINT: 'https://ws.example.com/prod/' });
    expect(config.core.profile).to.equal('memory');
    expect(config.aws.connectionsEndpoint).to.equal('https://ws.example.com/prod');
    expect(config.gateway).to.equal(undefined);
    expect(config.kafka).to.equal(undefined);
    expect(config.port).to.equal(undefined);
    expect(loadConfig({}, { sections: [gatewaySection({ port: 0 })] }).gateway).to.include({ port: 0 });
  });
});

describe('adapter table', () => {
  it('switches the run ledger by HERMES_RUN_LEDGER, its default following the profile', () => {
    const ledgerOf = (env: Record<string, string>, profile?: 'memory' | 'aws') =>
      runLedger(
        createWiring(loadConfig({ JWT_SECRET: 'j'.repeat(40), TOKEN_PASSCODE: 'p'.repeat(20), ...env }, profile ? { profile } : {})),
      );
    expect(ledgerOf({})).to.be.instanceOf(InMemoryRunLedger);
    expect(ledgerOf({}, 'aws')).to.be.instanceOf(DynamoRunLedger);
    expect(ledgerOf({ HERMES_RUN_LEDGER: 'memory' }, 'aws')).to.be.instanceOf(InMemoryRunLedger);
    // Its own switch: the connection store's does not move it.
    expect(ledgerOf({ HERMES_CONNECTION_STORE: 'dynamodb' })).to.be.instanceOf(InMemoryRunLedger);
    expect(ledgerOf({ HERMES_RUN_LEDGER: 'dynamodb' })).to.be.instanceOf(DynamoRunLedger);
    expect(problemsOf(() => loadConfig({ HERMES_RUN_LEDGER: 'cassandra' }))[0]).to.match(
      /^HERMES_RUN_LEDGER: must be one of memory, dynamodb, redis/,
    );
  });

  it('polls the queue the notifications are published to (HERMES_QUEUE)', () => {
    expect(queueSource(createWiring(loadConfig({})))).to.be.instanceOf(InMemoryQueueSource);
    expect(queueSource(createWiring(loadConfig({ HERMES_QUEUE: 'sqs', AWS_REGION: 'eu-west-1' })))).to.be.instanceOf(SqsQueueSource);
  });
});

describe('development secrets file (memory profile)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hermes-dev-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps generated secrets in HERMES_DEV_SECRETS_FILE (0600) and reuses them on the next start', () => {
    const env = { HERMES_DEV_SECRETS_FILE: join(dir, 'nested', 'secrets.json') };
    const first = loadConfig(env, { devSecrets: fileDevSecrets(env, dir), sections: [gatewaySection()] });
    const file = join(dir, 'nested', 'secrets.json');
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const kept = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(kept).to.deep.equal({
      JWT_SECRET: first.core.secrets.JWT_SECRET,
      TOKEN_PASSCODE: first.core.secrets.TOKEN_PASSCODE,
      HERMES_ADMIN_KEY: first.gateway?.adminKey,
    });
    const second = loadConfig(env, { devSecrets: fileDevSecrets(env, dir), sections: [gatewaySection()] });
    expect(second.core.secrets).to.deep.equal(first.core.secrets);
    expect(second.gateway?.adminKey).to.equal(first.gateway?.adminKey);
  });

  it('lets explicit variables win, and never writes them', () => {
    const env = { HERMES_DEV_SECRETS_FILE: join(dir, 'secrets.json'), JWT_SECRET: 'explicit-jwt-secret-0123456789abcdef' };
    const config = loadConfig(env, { devSecrets: fileDevSecrets(env, dir) });
    expect(config.core.secrets.JWT_SECRET).to.equal('explicit-jwt-secret-0123456789abcdef');
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.to.include('explicit-jwt-secret');
  });

  it('defaults to .hermes/dev-secrets.json under the working directory', () => {
    expect(fileDevSecrets({}, dir).path).to.equal(join(dir, '.hermes', 'dev-secrets.json'));
  });
});
