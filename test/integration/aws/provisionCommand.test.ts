import { expect } from 'chai';
import type { CommandIo } from '../../../src/entrypoints/cli/Command.js';
import { runCli } from '../../../src/entrypoints/cli/main.js';
import { localAwsEnv } from './support/localAws.js';

interface Captured {
  readonly io: CommandIo;
  readonly out: () => string;
  readonly err: () => string;
}

function capture(env: Record<string, string | undefined>): Captured {
  let out = '';
  let err = '';
  return {
    io: { stdout: (text) => (out += text), stderr: (text) => (err += text), env },
    out: () => out,
    err: () => err,
  };
}

describe('hermes provision (CLI) against DynamoDB Local and fauxqs', function () {
  this.timeout(60_000);

  it('reports a dry run, then creates, then finds everything in place', async function () {
    const env = await localAwsEnv();
    const dry = capture(env);
    expect(await runCli(['provision', '--dry-run'], dry.io), dry.err()).to.equal(0);
    expect(dry.out()).to.include(`would create table  ${env['HERMES_CONNECTIONS_TABLE']}`);
    expect(dry.out()).to.match(/dry run: 10 to create, 0 to update, 0 unchanged; nothing was changed/);

    const first = capture(env);
    expect(await runCli(['provision'], first.io), first.err()).to.equal(0);
    expect(first.out()).to.include(`created      queue  ${env['HERMES_QUEUE_NAME']}-dlq`);
    expect(first.out()).to.match(/10 created, 0 updated, 0 unchanged\n$/);

    const second = capture(env);
    expect(await runCli(['provision'], second.io), second.err()).to.equal(0);
    expect(second.out()).to.match(/0 created, 0 updated, 11 unchanged\n$/);
  });

  it('refuses to run without a cloud profile', async function () {
    const run = capture({ HERMES_PROFILE: 'memory' });
    expect(await runCli(['provision'], run.io)).to.equal(2);
    expect(run.err()).to.include('--profile localstack or --profile aws');
  });

  it('is listed in hermes --help', async function () {
    const run = capture({});
    expect(await runCli(['--help'], run.io)).to.equal(0);
    expect(run.out()).to.match(/provision\s+Create the DynamoDB tables/);
  });
});
