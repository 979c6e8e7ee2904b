import { expect } from 'chai';
import { createSecretsManagerClient } from '../../../src/adapters/aws/clients.js';
import { SecretsManagerSecretProvider, SecretUnavailableError } from '../../../src/adapters/aws/SecretsManagerSecretProvider.js';
import { StaticSecretProvider } from '../../../src/adapters/secrets/StaticSecretProvider.js';
import type { SecretProvider } from '../../../src/application/shared/ports/SecretProvider.js';
import { SHARED_TOKENS } from '../../../src/application/shared/tokens.js';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { IssueConnectionToken } from '../../../src/application/notifications/usecases/IssueConnectionToken.js';
import type { AuthorizeConnection } from '../../../src/application/notifications/usecases/AuthorizeConnection.js';
import { secretArnVariable } from '../../../src/entrypoints/config/secretArnVariable.js';
import { buildContainer } from '../../../src/entrypoints/container.js';
import { startFakeSecretsManager, type FakeSecretsManager } from '../../support/services/index.js';

const JWT = 'jwt-from-secrets-manager-0123456789abcdef0123456789abcdef';

describe('SecretsManagerSecretProvider against a Secrets Manager fake', function () {
  let fake: FakeSecretsManager;

  beforeEach(async function () {
    fake = await startFakeSecretsManager({ 'hermes/JWT_SECRET': JWT });
  });

  afterEach(async function () {
    await fake.stop();
  });

  const provider = (ids: Record<string, string>, plain: Record<string, string> = {}) => {
    const client = createSecretsManagerClient(fake);
    return new SecretsManagerSecretProvider(client, ids, new StaticSecretProvider(plain, secretArnVariable));
  };

  it('fetches a secret once, by ARN, however often and concurrently it is asked for', async function () {
    const secrets = provider({ JWT_SECRET: fake.arnOf('hermes/JWT_SECRET') });
    const values = await Promise.all([secrets.get('JWT_SECRET'), secrets.get('JWT_SECRET'), secrets.get('JWT_SECRET')]);
    expect(values).to.deep.equal([JWT, JWT, JWT]);
    expect(await secrets.get('JWT_SECRET')).to.equal(JWT);
    fake.setSecret('hermes/JWT_SECRET', 'rotated-value');
    expect(await secrets.get('JWT_SECRET')).to.equal(JWT);
    expect(fake.calls('hermes/JWT_SECRET')).to.equal(1);
  });

  it('falls back to the plain values for secrets without an id', async function () {
    const secrets = provider({ JWT_SECRET: 'hermes/JWT_SECRET' }, { TOKEN_PASSCODE: 'plain-passcode-1234' });
    expect(await secrets.get('TOKEN_PASSCODE')).to.equal('plain-passcode-1234');
    expect(await secrets.get('JWT_SECRET')).to.equal(JWT);
    const missing = await secrets.get('KAFKA_PASSWORD').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(missing).to.be.instanceOf(Error).with.property('message').that.includes('KAFKA_PASSWORD_SECRET_ARN');
  });

  it('names the secret and its id when it cannot be read, and retries on the next call', async function () {
    const secrets = provider({ TOKEN_PASSCODE: 'hermes/TOKEN_PASSCODE' });
    const error = await secrets.get('TOKEN_PASSCODE').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(SecretUnavailableError);
    expect((error as Error).message)
      .to.include('TOKEN_PASSCODE')
      .and.include('hermes/TOKEN_PASSCODE')
      .and.include('ResourceNotFound');
    fake.setSecret('hermes/TOKEN_PASSCODE', 'now-it-exists-1234');
    expect(await secrets.get('TOKEN_PASSCODE')).to.equal('now-it-exists-1234');
    expect(fake.calls('hermes/TOKEN_PASSCODE')).to.equal(2);
  });

  it('is what the container binds when *_SECRET_ARN is set: tokens signed with the stored secret, fetched once', async function () {
    const container = buildContainer('localstack', {
      env: {
        JWT_SECRET_ARN: fake.arnOf('hermes/JWT_SECRET'),
        TOKEN_PASSCODE: 'plain-passcode-0123456789',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: fake.endpoint,
        HERMES_CONNECTION_STORE: 'memory',
        HERMES_GRANT_STORE: 'memory',
        HERMES_QUEUE: 'memory',
        HERMES_NOTIFIER: 'inprocess',
        BCRYPT_COST: '4',
      },
    });
    expect(container.get(SHARED_TOKENS.SecretProvider)).to.be.instanceOf(SecretsManagerSecretProvider);
    const issue = container.get<IssueConnectionToken>(NOTIFICATION_TOKENS.IssueConnectionToken);
    const authorize = container.get<AuthorizeConnection>(NOTIFICATION_TOKENS.AuthorizeConnection);
    for (const user of ['u1', 'u2', 'u3']) {
      const { token } = await issue.execute({ userId: user, roomId: 'lobby' });
      expect((await authorize.execute(token)).effect).to.equal('Allow');
    }
    expect(fake.calls('hermes/JWT_SECRET')).to.equal(1);
    expect(await container.get<SecretProvider>(SHARED_TOKENS.SecretProvider).get('TOKEN_PASSCODE')).to.equal('plain-passcode-0123456789');
  });

  it('is not used without any *_SECRET_ARN variable', function () {
    const container = buildContainer('memory', { env: {} });
    expect(container.get(SHARED_TOKENS.SecretProvider)).to.be.instanceOf(StaticSecretProvider);
  });
});
