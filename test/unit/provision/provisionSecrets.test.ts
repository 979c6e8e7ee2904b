import { expect } from 'chai';
import sinon from 'sinon';
import { CreateSecretCommand, DescribeSecretCommand, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { createSecretsManagerClient } from '../../../src/adapters/aws/clients.js';
import { provisionSecrets } from '../../../src/entrypoints/provision/provisionSecrets.js';
import { ProvisionConflictError } from '../../../src/entrypoints/provision/ProvisionStep.js';

const notFound = () => new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });

describe('provisionSecrets (provision --with-secrets)', () => {
  const client = createSecretsManagerClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  let send: sinon.SinonStub;

  beforeEach(() => {
    send = sinon.stub(client, 'send');
  });

  afterEach(() => send.restore());

  after(() => client.destroy());

  const creations = () =>
    send
      .getCalls()
      .map((call): unknown => call.args[0])
      .filter((command): command is CreateSecretCommand => command instanceof CreateSecretCommand)
      .map((command) => command.input);

  it('creates the missing secrets with random values, reporting their ARNs and never a value', async () => {
    send.callsFake(async (command: unknown) => {
      if (command instanceof DescribeSecretCommand) throw notFound();
      const name = (command as CreateSecretCommand).input.Name;
      return { ARN: `arn:aws:secretsmanager:us-east-1:0:secret:${name}-abc123` };
    });
    const steps = await provisionSecrets(client, {}, { dryRun: false });
    const created = creations();
    expect(created.map((input) => input.Name)).to.deep.equal(['hermes/JWT_SECRET', 'hermes/TOKEN_PASSCODE']);
    expect(created[0]?.SecretString).to.match(/^[A-Za-z0-9_-]{86}$/);
    expect(created[1]?.SecretString).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(steps.map((step) => step.detail)).to.deep.equal([
      'random value; set JWT_SECRET_ARN=arn:aws:secretsmanager:us-east-1:0:secret:hermes/JWT_SECRET-abc123',
      'random value; set TOKEN_PASSCODE_SECRET_ARN=arn:aws:secretsmanager:us-east-1:0:secret:hermes/TOKEN_PASSCODE-abc123',
    ]);
    const report = JSON.stringify(steps);
    for (const input of created) expect(report).to.not.include(input.SecretString);
  });

  it('stores the plain value when one is configured, under the name *_SECRET_ARN gives', async () => {
    send.callsFake(async (command: unknown) => {
      if (command instanceof DescribeSecretCommand) {
        if (command.input.SecretId === 'prod/passcode') throw notFound();
        return { ARN: 'arn:existing-jwt' };
      }
      return { ARN: 'arn:new-passcode' };
    });
    const steps = await provisionSecrets(
      client,
      { TOKEN_PASSCODE: 'the-configured-passcode', TOKEN_PASSCODE_SECRET_ARN: 'prod/passcode' },
      { dryRun: false },
    );
    expect(creations()).to.deep.equal([
      { Name: 'prod/passcode', Description: 'hermes TOKEN_PASSCODE', SecretString: 'the-configured-passcode' },
    ]);
    expect(steps.map((step) => `${step.name} ${step.action}`)).to.deep.equal(['hermes/JWT_SECRET none', 'prod/passcode create']);
    expect(JSON.stringify(steps)).to.not.include('the-configured-passcode');
  });

  it('creates nothing in a dry run, and nothing that exists', async () => {
    send.callsFake(async (command: unknown) => {
      if (command instanceof DescribeSecretCommand && command.input.SecretId === 'hermes/JWT_SECRET') return { ARN: 'arn:jwt' };
      throw notFound();
    });
    const steps = await provisionSecrets(client, {}, { dryRun: true });
    expect(creations()).to.deep.equal([]);
    expect(steps.map((step) => `${step.action} ${String(step.applied)}`)).to.deep.equal(['none false', 'create false']);
  });

  it('cannot create a secret named by a full ARN that does not exist', async () => {
    send.rejects(notFound());
    const error = await provisionSecrets(
      client,
      { JWT_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:0:secret:gone' },
      { dryRun: false },
    ).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(ProvisionConflictError);
  });
});
