import { expect } from 'chai';
import type { InMemoryPortApi } from '../../../src/adapters/port/InMemoryPortApi.js';
import { InMemoryRunLedger } from '../../../src/adapters/memory/InMemoryRunLedger.js';
import { PortSecretInputDecryptor } from '../../../src/adapters/crypto/PortSecretInputDecryptor.js';
import type { ActionHandler } from '../../../src/application/runs/ActionHandler.js';
import { PortUnavailableError } from '../../../src/application/runs/errors/PortUnavailableError.js';
import { RunDeferredError } from '../../../src/application/runs/errors/RunDeferredError.js';
import type { RunOutcome } from '../../../src/domain/runs/RunOutcome.js';
import { SecretInputs } from '../../../src/application/runs/SecretInputs.js';
import type { Clock } from '../../../src/application/shared/ports/Clock.js';
import { DomainError } from '../../../src/domain/shared/HermesError.js';
import { SHARED_TOKENS } from '../../../src/application/shared/tokens.js';
import { buildContainer } from '../../../src/entrypoints/container.js';
import { PORT_RUNNER_TOKENS } from '../../../src/entrypoints/di/portRunnerModule.js';
import { createActionRunnerHandler } from '../../../src/entrypoints/lambda/handlers/actionRunner.js';
import { handlerDeps } from '../../support/handlerDeps.js';
import { encryptLikePort } from '../../support/portSecretInput.js';
import { RecordingLogger as SharedRecordingLogger } from '../../support/RecordingLogger.js';
import { runnerFixture, type RunnerFixture } from './support.js';

const CLIENT_SECRET = 'q0tB3sV8wXk1Lr9mZ2cY7nH4pJ6dF5gA-rest-of-the-client-secret';
const PASSWORD = 'S3cr3t-Passw0rd!';

/** A ledger that keeps every outcome written to it, to grep. */
class RecordingLedger extends InMemoryRunLedger {
  readonly written: RunOutcome[] = [];

  override async markHandled(runId: string, claimId: string, outcome: RunOutcome): Promise<void> {
    this.written.push(outcome);
    return super.markHandled(runId, claimId, outcome);
  }
}

class DbFailed extends DomainError {
  readonly code = 'DB_FAILED';

  constructor(message: string) {
    super(message);
  }
}

/** A handler that uses its secret input as carelessly as possible: in its log, its summary, its error. */
function carelessHandler(seen: unknown[], fail = false): ActionHandler {
  return {
    action: 'create_db',
    handle: async (run, { log }) => {
      seen.push(run.inputs);
      const db = run.inputs['db'] as { password?: string } | undefined;
      const direct = run.inputs['password'];
      const password = typeof direct === 'string' ? direct : (db?.password ?? '');
      log(`connecting with ${password}`);
      if (fail) throw new DbFailed(`login refused for ${password}`);
      return { statusLabel: `ok ${password}`, summary: `created with ${password}`, link: [`https://db.example/?p=${password}`] };
    },
  };
}

/** The guide's v2 payload shape for `create_db`, its password encrypted and marked in censoredProperties. */
function v2Message(runId: string, properties: Record<string, unknown>, censored: string[]): Record<string, unknown> {
  return {
    action: 'create_db',
    resourceType: 'run',
    status: 'TRIGGERED',
    trigger: { by: { userId: 'u1', orgId: 'org_x' }, origin: 'UI', at: '2024-06-06T05:21:00.565Z' },
    context: { entity: null, blueprint: 'db', runId },
    payload: {
      entity: null,
      action: { invocationMethod: { type: 'KAFKA' }, trigger: 'CREATE' },
      properties,
      censoredProperties: censored,
    },
  };
}

async function everythingWritten(fixture: RunnerFixture, ledger: RecordingLedger): Promise<string> {
  return [
    fixture.logger.text(),
    JSON.stringify([...fixture.port.runs.values()]),
    JSON.stringify(await fixture.notifications()),
    JSON.stringify(ledger.written),
  ].join('\n');
}

function setup(options: { fail?: boolean; decryptFields?: string[] } = {}) {
  const seen: unknown[] = [];
  let ledger: RecordingLedger | undefined;
  const fixture = runnerFixture({
    handlers: () => [carelessHandler(seen, options.fail)],
    ledger: (clock: Clock) => (ledger = new RecordingLedger(clock)),
    secretInputs: new SecretInputs(new PortSecretInputDecryptor(async () => CLIENT_SECRET), options.decryptFields),
  });
  return { seen, fixture, ledger: ledger! };
}

describe('secret inputs (Port encrypts inputs of type secret)', () => {
  describe('PortSecretInputDecryptor', () => {
    const decryptor = new PortSecretInputDecryptor(async () => CLIENT_SECRET);

    it('decrypts what Port encrypted (AES-256-GCM, key = first 32 bytes of the client secret, IV ‖ ciphertext ‖ tag)', async () => {
      expect(await decryptor.decrypt(encryptLikePort(PASSWORD, CLIENT_SECRET))).to.equal(PASSWORD);
      expect(await decryptor.decrypt(encryptLikePort('', CLIENT_SECRET))).to.equal('');
    });

    it('gives undefined for another key, a tampered value, or something that is not Port’s format', async () => {
      expect(await decryptor.decrypt(encryptLikePort(PASSWORD, `x${CLIENT_SECRET}`))).to.equal(undefined);
      const bytes = Buffer.from(encryptLikePort(PASSWORD, CLIENT_SECRET), 'base64');
      bytes[20] = (bytes[20] ?? 0) ^ 1;
      expect(await decryptor.decrypt(bytes.toString('base64'))).to.equal(undefined);
      expect(await decryptor.decrypt('plain text')).to.equal(undefined);
      expect(await decryptor.decrypt('')).to.equal(undefined);
    });

    it('cannot decrypt with a client secret shorter than 32 bytes', async () => {
      expect(await new PortSecretInputDecryptor(async () => 'short').decrypt(encryptLikePort(PASSWORD, CLIENT_SECRET))).to.equal(undefined);
    });
  });

  it('decrypts the inputs listed in payload.censoredProperties before the handler sees them; nothing else carries them', async () => {
    const { seen, fixture, ledger } = setup();
    const result = await fixture.processor.process(
      v2Message('r_secret_1', { name: 'orders', password: encryptLikePort(PASSWORD, CLIENT_SECRET) }, ['password']),
    );
    expect(result.kind).to.equal('completed');
    expect(seen).to.deep.equal([{ name: 'orders', password: PASSWORD }]);
    const run = fixture.port.runs.get('r_secret_1');
    expect(run?.status).to.equal('SUCCESS');
    expect(run?.summary).to.equal('created with ********');
    expect(run?.logs).to.include('connecting with ********');
    const written = await everythingWritten(fixture, ledger);
    expect(written).to.include('r_secret_1');
    expect(written).not.to.include(PASSWORD);
  });

  it('decrypts action.encryptedProperties of a trigger-data message, and paths of PORT_DECRYPT_FIELDS', async () => {
    const { seen, fixture, ledger } = setup({ decryptFields: ['db.password'] });
    await fixture.processor.process({
      inputs: { token: encryptLikePort('tok-123456', CLIENT_SECRET), db: { password: encryptLikePort(PASSWORD, CLIENT_SECRET) } },
      trigger: { by: { userId: 'u1' }, operation: 'CREATE' },
      entity: {},
      action: { identifier: 'create_db', blueprint: 'db', encryptedProperties: ['token'] },
      run: { id: 'r_secret_2' },
    });
    expect(seen).to.deep.equal([{ token: 'tok-123456', db: { password: PASSWORD } }]);
    expect(fixture.port.runs.get('r_secret_2')?.status).to.equal('SUCCESS');
    const written = await everythingWritten(fixture, ledger);
    expect(written).not.to.include(PASSWORD);
    expect(written).not.to.include('tok-123456');
  });

  it('fails the run with "secret input <name> could not be decrypted", without running the handler', async () => {
    const { seen, fixture } = setup();
    await fixture.processor.process(
      v2Message('r_secret_3', { password: encryptLikePort(PASSWORD, 'another-client-secret-of-32-bytes-or-more') }, ['password']),
    );
    expect(seen).to.deep.equal([]);
    const run = fixture.port.runs.get('r_secret_3');
    expect(run?.status).to.equal('FAILURE');
    expect(run?.summary).to.equal('secret input password could not be decrypted');
  });

  it('masks a decrypted value in the error a handler throws (summary, log lines)', async () => {
    const { fixture, ledger } = setup({ fail: true });
    await fixture.processor.process(v2Message('r_secret_4', { password: encryptLikePort(PASSWORD, CLIENT_SECRET) }, ['password']));
    const run = fixture.port.runs.get('r_secret_4');
    expect(run?.status).to.equal('FAILURE');
    expect(run?.summary).to.equal('login refused for ********');
    expect(await everythingWritten(fixture, ledger)).not.to.include(PASSWORD);
  });

  it('masks a decrypted value in a transient error too: the run is deferred, nothing logged carries it', async () => {
    const seen: unknown[] = [];
    const fixture = runnerFixture({
      handlers: () => [
        {
          action: 'create_db',
          handle: async (run) => {
            seen.push(run.inputs);
            throw new PortUnavailableError(`call with ${JSON.stringify(run.inputs['password'])}`, 503, 'HTTP 503');
          },
        },
      ],
      secretInputs: new SecretInputs(new PortSecretInputDecryptor(async () => CLIENT_SECRET)),
    });
    const error = await fixture.processor
      .process(v2Message('r_secret_7', { password: encryptLikePort(PASSWORD, CLIENT_SECRET) }, ['password']))
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).to.be.instanceOf(RunDeferredError);
    expect(seen).to.have.length(1);
    expect(fixture.logger.text()).to.include('********').and.not.include(PASSWORD);
    expect(String((error as Error).message)).not.to.include(PASSWORD);
  });

  it('is wired by the composition: the Lambda handler decrypts with PORT_CLIENT_SECRET', async () => {
    const logger = new SharedRecordingLogger();
    const container = buildContainer('memory', {
      env: { PORT_ORG_ID: 'org_test', HERMES_PORT_API: 'memory', PORT_CLIENT_ID: 'id', PORT_CLIENT_SECRET: CLIENT_SECRET },
      values: [[SHARED_TOKENS.Logger, logger]],
    });
    const handler = createActionRunnerHandler(handlerDeps(container));
    const port = container.get<InMemoryPortApi>(PORT_RUNNER_TOKENS.PortAdapter);
    const message = {
      inputs: {
        title: 'Secret VM',
        cpu: 1,
        memory: 2,
        storage: 10,
        region: 'us-east-1',
        admin_password: encryptLikePort(PASSWORD, CLIENT_SECRET),
      },
      trigger: { by: { userId: 'u1' }, operation: 'CREATE' },
      entity: {},
      action: { identifier: 'vm_create_vm', blueprint: 'vm', encryptedProperties: ['admin_password'] },
      run: { id: 'r_secret_5' },
    };
    const records = [
      {
        topic: 't',
        partition: 0,
        offset: 1,
        timestamp: 0,
        timestampType: 'CREATE_TIME' as const,
        key: '',
        headers: [],
        value: Buffer.from(JSON.stringify(message)).toString('base64'),
      },
    ];
    await handler({ eventSource: 'SelfManagedKafka', bootstrapServers: 'b:9096', records: { 't-0': records } });
    expect(port.runs.get('r_secret_5')?.status).to.equal('SUCCESS');
    expect(JSON.stringify(logger.lines) + JSON.stringify([...port.runs.values()])).not.to.include(PASSWORD);

    const undecryptable = { ...message, inputs: { ...message.inputs, admin_password: 'not encrypted' }, run: { id: 'r_secret_6' } };
    await handler({
      eventSource: 'SelfManagedKafka',
      bootstrapServers: 'b:9096',
      records: { 't-0': [{ ...records[0]!, offset: 2, value: Buffer.from(JSON.stringify(undecryptable)).toString('base64') }] },
    });
    expect(port.runs.get('r_secret_6')).to.include({ status: 'FAILURE', summary: 'secret input admin_password could not be decrypted' });
  });
});
