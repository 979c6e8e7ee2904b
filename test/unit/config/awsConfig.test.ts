import { expect } from 'chai';
import { ConfigurationError } from '../../../src/entrypoints/config/ConfigurationError.js';
import { loadAwsConfig, secretIdsOf } from '../../../src/entrypoints/config/awsConfig.js';

describe('loadAwsConfig', () => {
  it('gives the localstack profile http://localhost:4566, us-east-1 and test credentials by default', () => {
    const config = loadAwsConfig({}, 'localstack');
    expect(config.region).to.equal('us-east-1');
    expect(config.credentials).to.deep.equal({ accessKeyId: 'test', secretAccessKey: 'test' });
    expect(config.endpoints).to.deep.equal({
      dynamodb: 'http://localhost:4566',
      sqs: 'http://localhost:4566',
      secretsManager: 'http://localhost:4566',
      apiGatewayManagement: undefined,
    });
  });

  it('leaves region, credentials and endpoints to the SDK chain on the aws profile', () => {
    const config = loadAwsConfig({ AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'secret' }, 'aws');
    expect(config.region).to.equal(undefined);
    expect(config.credentials).to.equal(undefined);
    expect(Object.values(config.endpoints).every((endpoint) => endpoint === undefined)).to.equal(true);
  });

  it('takes AWS_ENDPOINT_URL_<SERVICE> over AWS_ENDPOINT_URL, on any profile', () => {
    const env = {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4000',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:5000',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:6000',
      AWS_REGION: 'eu-west-1',
    };
    for (const profile of ['aws', 'localstack'] as const) {
      const config = loadAwsConfig(env, profile);
      expect(config.endpoints.dynamodb).to.equal('http://127.0.0.1:4000');
      expect(config.endpoints.sqs).to.equal('http://127.0.0.1:5000');
      expect(config.endpoints.secretsManager).to.equal('http://127.0.0.1:6000');
      expect(config.region).to.equal('eu-west-1');
    }
  });

  it('uses the credentials of the environment on localstack when given', () => {
    const config = loadAwsConfig({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: 'c' }, 'localstack');
    expect(config.credentials).to.deep.equal({ accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 'c' });
  });

  it('has the fixed default names, and derives the queue name (and DLQ) from HERMES_QUEUE_URL', () => {
    const defaults = loadAwsConfig({}, 'aws');
    expect(defaults.tables).to.deep.equal({
      connections: 'hermes-connections',
      grants: 'hermes-grants',
      runLedger: 'hermes-run-ledger',
      history: 'hermes-history',
    });
    expect(defaults.queue).to.deep.equal({
      url: undefined,
      name: 'hermes-notifications',
      deadLetterName: 'hermes-notifications-dlq',
      maxReceiveCount: 5,
    });
    const byUrl = loadAwsConfig({ HERMES_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/prod-notes' }, 'aws');
    expect(byUrl.queue).to.include({ name: 'prod-notes', deadLetterName: 'prod-notes-dlq' });
  });

  it('names each invalid variable, never echoing credentials', () => {
    expect(() => loadAwsConfig({ AWS_ENDPOINT_URL: 'localhost', HERMES_MAX_RECEIVE_COUNT: '0' }, 'aws'))
      .to.throw(ConfigurationError)
      .with.property('message')
      .that.matches(/AWS_ENDPOINT_URL: must be a URL/)
      .and.matches(/HERMES_MAX_RECEIVE_COUNT: must be an integer between 1 and 1000/);
  });

  it('collects the Secrets Manager ids of secrets not given in plain', () => {
    expect(
      secretIdsOf({
        JWT_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:jwt',
        TOKEN_PASSCODE: 'plain wins',
        TOKEN_PASSCODE_SECRET_ARN: 'ignored',
        KAFKA_PASSWORD_SECRET_ARN: 'hermes/kafka',
        PORT_CLIENT_SECRET_ARN: ' ',
      }),
    ).to.deep.equal({ JWT_SECRET: 'arn:aws:secretsmanager:eu-west-1:1:secret:jwt', KAFKA_PASSWORD: 'hermes/kafka' });
  });
});
