import { expect } from 'chai';
import { InMemoryRunLedger } from '../../../src/adapters/memory/InMemoryRunLedger.js';
import { InMemoryPortApi } from '../../../src/adapters/port/InMemoryPortApi.js';
import { PortApiClient } from '../../../src/adapters/port/PortApiClient.js';
import type { RunnerSettings } from '../../../src/application/runs/RunnerSettings.js';
import { RUN_TOKENS } from '../../../src/application/runs/tokens.js';
import { HandleActionRun } from '../../../src/application/runs/usecases/HandleActionRun.js';
import { ConfigurationError } from '../../../src/entrypoints/config/ConfigurationError.js';
import { kafkaConfigured, loadKafkaConfig } from '../../../src/entrypoints/config/kafkaConfig.js';
import { loadPortConfig } from '../../../src/entrypoints/config/portConfig.js';
import { buildContainer } from '../../../src/entrypoints/container.js';
import { kafkaPasswordFromSecret } from '../../../src/entrypoints/runner/createRunConsumer.js';

describe('runner configuration', () => {
  describe('Port', () => {
    it('simulates Port on the memory profile without credentials, with the default room', () => {
      const config = loadPortConfig({}, 'memory');
      expect(config).to.include({
        apiMode: 'memory',
        apiUrl: 'https://api.getport.io/v1',
        runsRoom: 'port-runs',
        appUrl: 'https://app.getport.io',
      });
      expect(config.allowedActions).to.equal(undefined);
    });

    it('calls Port when credentials are given; room port-<orgId>; PORT_ACTIONS as a set', () => {
      const config = loadPortConfig(
        {
          PORT_CLIENT_ID: 'id',
          PORT_CLIENT_SECRET: 'secret',
          PORT_ORG_ID: 'org_abc',
          PORT_ACTIONS: 'create_vm, delete_vm,',
          PORT_API_URL: 'https://api.us.getport.io/v1',
        },
        'memory',
      );
      expect(config).to.include({ apiMode: 'http', runsRoom: 'port-org_abc', appUrl: 'https://app.us.getport.io' });
      expect([...(config.allowedActions ?? [])]).to.deep.equal(['create_vm', 'delete_vm']);
      expect(config.plainCredentials).to.deep.equal({ clientId: 'id', clientSecret: 'secret' });
    });

    it('requires credentials (or their secret ARNs) to call Port, and never echoes a secret', () => {
      expect(() => loadPortConfig({ PORT_CLIENT_ID: 'id' }, 'memory'))
        .to.throw(ConfigurationError)
        .with.property('message')
        .that.matches(/PORT_CLIENT_SECRET: required/);
      expect(() => loadPortConfig({}, 'aws')).to.throw(/PORT_CLIENT_ID: required/);
      expect(loadPortConfig({ PORT_CLIENT_ID_SECRET_ARN: 'arn:1', PORT_CLIENT_SECRET_ARN: 'arn:2' }, 'aws').apiMode).to.equal('http');
      expect(() => loadPortConfig({ PORT_CLIENT_ID: 'top-secret-id', PORT_API_URL: 'nope' }, 'memory'))
        .to.throw(/PORT_API_URL/)
        .with.property('message')
        .that.not.include('top-secret-id');
    });

    it('refuses a runs room that is not a valid room id', () => {
      expect(() => loadPortConfig({ HERMES_RUNS_ROOM: 'bad room' }, 'memory')).to.throw(/HERMES_RUNS_ROOM/);
    });
  });

  describe('Kafka', () => {
    it('reads the tutorial variables', () => {
      const config = loadKafkaConfig({
        KAFKA_BROKERS: 'b-1.example.com:9196, b-2.example.com:9196',
        KAFKA_RUNS_TOPIC: 'org_abc.runs',
        KAFKA_AUTHENTICATION_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_ENABLE_SSL: 'true',
        KAFKA_USERNAME: 'user',
        KAFKA_PASSWORD: 'pw',
        KAFKA_CONSUMER_GROUP_NAME: 'org_abc.runner',
      });
      expect(config).to.deep.equal({
        brokers: ['b-1.example.com:9196', 'b-2.example.com:9196'],
        topic: 'org_abc.runs',
        groupId: 'org_abc.runner',
        ssl: true,
        sasl: { mechanism: 'scram-sha-512', username: 'user', password: 'pw' },
      });
    });

    it('derives the topic and group from PORT_ORG_ID', () => {
      const config = loadKafkaConfig({ KAFKA_BROKERS: '127.0.0.1:9092', PORT_ORG_ID: 'org_abc' });
      expect(config).to.include({ topic: 'org_abc.runs', groupId: 'org_abc.hermes', ssl: false });
      expect(config.sasl).to.equal(undefined);
    });

    it('lists every problem, without the password', () => {
      expect(() => loadKafkaConfig({ KAFKA_BROKERS: 'nohost', KAFKA_AUTHENTICATION_MECHANISM: 'gssapi', KAFKA_PASSWORD: 'pw-secret-123' }))
        .to.throw(ConfigurationError)
        .with.property('message')
        .that.matches(/KAFKA_AUTHENTICATION_MECHANISM: must be one of scram-sha-512, scram-sha-256, plain/)
        .and.not.include('pw-secret-123');
      expect(() => loadKafkaConfig({ KAFKA_BROKERS: 'h:1' })).to.throw(/KAFKA_RUNS_TOPIC: required/);
      expect(() => loadKafkaConfig({ KAFKA_BROKERS: 'h:1', PORT_ORG_ID: 'o', KAFKA_AUTHENTICATION_MECHANISM: 'plain' })).to.throw(
        /KAFKA_USERNAME: required[\s\S]*KAFKA_PASSWORD: required/,
      );
      expect(() => loadKafkaConfig({ KAFKA_BROKERS: 'h:1', PORT_ORG_ID: 'o', KAFKA_USERNAME: 'u' })).to.throw(
        /KAFKA_AUTHENTICATION_MECHANISM: required/,
      );
    });

    it("reads the password from the tutorial's JSON secret, or takes a plain secret as it is", () => {
      expect(kafkaPasswordFromSecret('{"username":"u","password":"p@ss"}')).to.equal('p@ss');
      expect(kafkaPasswordFromSecret('plain-password')).to.equal('plain-password');
      expect(kafkaPasswordFromSecret('{not json')).to.equal('{not json');
    });

    it('starts the consumer only when KAFKA_BROKERS is set', () => {
      expect(kafkaConfigured({})).to.equal(false);
      expect(kafkaConfigured({ KAFKA_BROKERS: '  ' })).to.equal(false);
      expect(kafkaConfigured({ KAFKA_BROKERS: 'h:1' })).to.equal(true);
    });
  });

  describe('container', () => {
    it('resolves the runner on the memory profile with no Port or Kafka settings', () => {
      const container = buildContainer('memory', { env: {} });
      expect(container.get(RUN_TOKENS.HandleActionRun)).to.be.instanceOf(HandleActionRun);
      expect(container.get(RUN_TOKENS.PortApi)).to.be.instanceOf(InMemoryPortApi);
      expect(container.get(RUN_TOKENS.PortCatalog)).to.equal(container.get(RUN_TOKENS.PortApi));
      expect(container.get(RUN_TOKENS.RunLedger)).to.be.instanceOf(InMemoryRunLedger);
      expect(container.get<RunnerSettings>(RUN_TOKENS.Settings)).to.include({ runsRoom: 'port-runs' });
    });

    it('builds without Port settings on aws, failing only when the runner is resolved', () => {
      const env = { JWT_SECRET: 'x'.repeat(40), TOKEN_PASSCODE: 'y'.repeat(20) };
      const container = buildContainer('aws', { env });
      expect(() => container.get(RUN_TOKENS.HandleActionRun)).to.throw(/PORT_CLIENT_ID: required/);
    });

    it('uses the HTTP client when credentials are configured', () => {
      const container = buildContainer('memory', { env: { PORT_CLIENT_ID: 'id', PORT_CLIENT_SECRET: 'secret' } });
      expect(container.get(RUN_TOKENS.PortApi)).to.be.instanceOf(PortApiClient);
    });
  });
});
