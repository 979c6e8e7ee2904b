import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { PROJECT_ROOT } from '../../../scripts/build-lambda.js';
import type { CommandIo } from '../../../src/entrypoints/cli/Command.js';
import {
  createInvokeCommand,
  invokeCommand,
  type HandlerLoader,
  type LambdaHandlerFunction,
} from '../../../src/entrypoints/cli/commands/invoke.js';
import { isLambdaHandlerName, LAMBDA_HANDLER_NAMES } from '../../../src/entrypoints/lambda/shared/lambdaHandlers.js';
import { lambdaBuild } from '../deploy/support/lambdaBuild.js';

const EVENTS = join(PROJECT_ROOT, 'events');

interface Captured extends CommandIo {
  readonly out: string[];
  readonly err: string[];
  /** stdout and stderr writes and handler calls, in order. */
  readonly timeline: string[];
}

function captureIo(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const timeline: string[] = [];
  return {
    out,
    err,
    timeline,
    stdout: (text) => {
      out.push(text);
      timeline.push(`stdout ${text.trim()}`);
    },
    stderr: (text) => {
      err.push(text);
      timeline.push(`stderr ${text.trim()}`);
    },
    env: { AWS_REGION: 'eu-west-1' },
  };
}

const json = (chunks: readonly string[]): unknown => JSON.parse(chunks.join(''));

/** The handler each sample event in events/ is for: `<handler>.json` or `<handler>-<variant>.json`. */
function handlerOfSample(file: string): string {
  const base = file.replace(/\.json$/, '');
  return LAMBDA_HANDLER_NAMES.filter((name) => base === name || base.startsWith(`${name}-`)).sort((a, b) => b.length - a.length)[0] ?? base;
}

describe('hermes invoke', function () {
  let scratch: string;

  before(function () {
    scratch = mkdtempSync(join(tmpdir(), 'hermes-invoke-'));
  });

  after(function () {
    rmSync(scratch, { recursive: true, force: true });
  });

  const loaderOf =
    (handler: LambdaHandlerFunction): HandlerLoader =>
    async () =>
      handler;

  describe('RequestResponse (default)', function () {
    it('runs the real handler from the sources and prints its result', async function () {
      const io = captureIo();
      const code = await invokeCommand.run(['connect', '--event', join(EVENTS, 'connect.json')], io);
      expect(code).to.equal(0);
      expect(json(io.out)).to.deep.equal({ statusCode: 200 });
    });

    it('prints a batch response of the queue handler', async function () {
      const io = captureIo();
      const code = await invokeCommand.run(
        ['queue', '--event', join(EVENTS, 'queue-partial-failure.json'), '--invocation-type', 'RequestResponse'],
        io,
      );
      expect(code).to.equal(0);
      expect(json(io.out)).to.have.property('batchItemFailures').with.length(1);
    });

    it('passes the event and a Lambda context sized as deployed', async function () {
      const io = captureIo();
      const handler = sinon.stub<Parameters<LambdaHandlerFunction>, unknown>().resolves({ ok: true });
      const code = await createInvokeCommand(loaderOf(handler)).run(['authorizer', '--event', join(EVENTS, 'authorizer.json')], io);
      expect(code).to.equal(0);
      const [event, context] = handler.firstCall.args;
      expect(event).to.have.property('type', 'REQUEST');
      expect(context).to.include({ functionName: 'hermes-authorizer', memoryLimitInMB: '512' });
      expect(context.invokedFunctionArn).to.equal('arn:aws:lambda:eu-west-1:000000000000:function:hermes-authorizer');
      expect(context.getRemainingTimeInMillis()).to.be.within(9_000, 10_000);
    });

    it('sends what the handler prints (its logs) to stderr, keeping stdout for the response', async function () {
      const io = captureIo();
      const logging: LambdaHandlerFunction = async () => {
        process.stdout.write('{"level":"INFO","message":"connected"}\n');
        return { statusCode: 200 };
      };
      const stderrWrite = sinon.stub(process.stderr, 'write').returns(true);
      let code: number;
      try {
        code = await createInvokeCommand(loaderOf(logging)).run(['connect', '--event', join(EVENTS, 'connect.json')], io);
      } finally {
        stderrWrite.restore();
      }
      expect(code).to.equal(0);
      expect(stderrWrite.calledWith('{"level":"INFO","message":"connected"}\n')).to.equal(true);
      expect(json(io.out)).to.deep.equal({ statusCode: 200 });
    });

    it('prints a function error as {errorType, errorMessage} and exits 1', async function () {
      const io = captureIo();
      const code = await createInvokeCommand(
        loaderOf(async () => {
          throw new TypeError('room_id is not a string');
        }),
      ).run(['queue', '--event', join(EVENTS, 'queue.json')], io);
      expect(code).to.equal(1);
      expect(json(io.out)).to.deep.equal({ errorType: 'TypeError', errorMessage: 'room_id is not a string' });
    });

    it('reports an error while loading the handler (Init) as a function error', async function () {
      const io = captureIo();
      const failingInit: HandlerLoader = async () => {
        throw Object.assign(new Error('Invalid configuration: JWT_SECRET: required'), { name: 'ConfigurationError' });
      };
      const code = await createInvokeCommand(failingInit).run(['connect', '--event', join(EVENTS, 'connect.json')], io);
      expect(code).to.equal(1);
      expect(json(io.out)).to.deep.include({ errorType: 'ConfigurationError' });
    });

    it('fails with Sandbox.Timedout past the timeout', async function () {
      const io = captureIo();
      const never: LambdaHandlerFunction = () => new Promise(() => undefined);
      const code = await createInvokeCommand(loaderOf(never)).run(
        ['sendMessage', '--event', join(EVENTS, 'sendMessage.json'), '--timeout', '0.05'],
        io,
      );
      expect(code).to.equal(1);
      expect(json(io.out)).to.deep.equal({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 0.05 seconds' });
    });

    it('runs a built bundle with --bundle', async function () {
      this.timeout(120_000);
      const build = await lambdaBuild();
      const io = captureIo();
      const code = await invokeCommand.run(
        ['default', '--event', join(EVENTS, 'default.json'), '--bundle', '--bundle-dir', build.outDir],
        io,
      );
      expect(code).to.equal(0);
      expect(json(io.out)).to.have.property('statusCode', 400);
    });
  });

  describe('Event', function () {
    it('answers 202 before the handler runs, then runs it', async function () {
      const io = captureIo();
      const handler: LambdaHandlerFunction = async () => {
        io.timeline.push('handler');
        return { ignored: true };
      };
      const code = await createInvokeCommand(loaderOf(handler)).run(
        ['queue', '--event', join(EVENTS, 'queue.json'), '--invocation-type', 'Event'],
        io,
      );
      expect(code).to.equal(0);
      expect(io.timeline).to.deep.equal(['stdout {"StatusCode":202}', 'handler']);
    });

    it('reports a function error on standard error; the invocation was still accepted', async function () {
      const io = captureIo();
      const code = await createInvokeCommand(
        loaderOf(() => {
          throw new RangeError('too large');
        }),
      ).run(['queue', '--event', join(EVENTS, 'queue.json'), '--invocation-type', 'Event'], io);
      expect(code).to.equal(0);
      expect(json(io.out)).to.deep.equal({ StatusCode: 202 });
      expect(json(io.err)).to.deep.equal({ errorType: 'RangeError', errorMessage: 'too large' });
    });
  });

  describe('DryRun', function () {
    it('validates the event and runs nothing (204)', async function () {
      const io = captureIo();
      const loader = sinon.spy<HandlerLoader>(async () => () => undefined);
      const code = await createInvokeCommand(loader).run(
        ['sendMessage', '--event', join(EVENTS, 'sendMessage.json'), '--invocation-type', 'DryRun'],
        io,
      );
      expect(code).to.equal(0);
      expect(json(io.out)).to.deep.equal({ StatusCode: 204 });
      expect(loader.called, 'the handler is not even loaded').to.equal(false);
    });

    it('rejects an event of another shape, naming what is wrong', async function () {
      const io = captureIo();
      const code = await invokeCommand.run(['sendMessage', '--event', join(EVENTS, 'connect.json'), '--invocation-type', 'DryRun'], io);
      expect(code).to.equal(1);
      const error = json(io.err) as { errorType: string; errorMessage: string };
      expect(error.errorType).to.equal('InvalidRequestContentException');
      expect(error.errorMessage).to.include('requestContext.routeKey').and.include('body');
      expect(io.out).to.deep.equal([]);
    });

    it('rejects a sendMessage body without data', async function () {
      const file = join(scratch, 'no-data.json');
      const { readFileSync } = await import('node:fs');
      const sample = JSON.parse(readFileSync(join(EVENTS, 'sendMessage.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(file, JSON.stringify({ ...sample, body: JSON.stringify({ action: 'sendMessage' }) }));
      const io = captureIo();
      expect(await invokeCommand.run(['sendMessage', '--event', file, '--invocation-type', 'DryRun'], io)).to.equal(1);
      expect(json(io.err)).to.have.property('errorMessage').that.includes('must have "data"');
    });

    it('accepts every sample event in events/ for its handler', async function () {
      const samples = readdirSync(EVENTS).filter((file) => file.endsWith('.json'));
      const covered = new Set<string>();
      for (const file of samples) {
        const handler = handlerOfSample(file);
        expect(isLambdaHandlerName(handler), `${file} names a handler`).to.equal(true);
        covered.add(handler);
        const io = captureIo();
        const code = await invokeCommand.run([handler, '--event', join(EVENTS, file), '--invocation-type', 'DryRun'], io);
        expect(code, `${file}: ${io.err.join('')}`).to.equal(0);
      }
      expect([...covered].sort(), 'a sample event for every handler').to.deep.equal([...LAMBDA_HANDLER_NAMES].sort());
    });
  });

  describe('as on Lambda: cold start, events of the wrong shape, the authorizer sample', function () {
    it('sets the runtime variables Powertools reads while the handler loads and runs, then restores them', async function () {
      const seen: Array<string | undefined> = [];
      const loader: HandlerLoader = async () => {
        seen.push(process.env['AWS_LAMBDA_INITIALIZATION_TYPE'], process.env['AWS_LAMBDA_FUNCTION_NAME']);
        return () => {
          seen.push(process.env['AWS_LAMBDA_INITIALIZATION_TYPE']);
          return { statusCode: 200 };
        };
      };
      const before = process.env['AWS_LAMBDA_INITIALIZATION_TYPE'];
      expect(await createInvokeCommand(loader).run(['connect', '--event', join(EVENTS, 'connect.json')], captureIo())).to.equal(0);
      expect(seen).to.deep.equal(['on-demand', 'hermes-connect', 'on-demand']);
      expect(process.env['AWS_LAMBDA_INITIALIZATION_TYPE']).to.equal(before);
    });

    it('logs cold_start: true on the first invocation of a fresh process (the real handler and Powertools)', function () {
      this.timeout(30_000);
      const run = spawnSync(process.execPath, ['bin/hermes.js', 'invoke', 'connect', '--event', 'events/connect.json'], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'], POWERTOOLS_LOG_LEVEL: 'INFO' },
      });
      expect(run.status, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout)).to.deep.equal({ statusCode: 200 });
      const logs = run.stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(
        logs.find((line) => line['message'] === 'connected'),
        run.stderr,
      ).to.include({ cold_start: true, function_name: 'hermes-connect' });
    });

    it('answers a malformed event with what DryRun says of it, then the handler error, instead of a bare TypeError', async function () {
      const file = join(scratch, 'empty.json');
      writeFileSync(file, '{}');
      const io = captureIo();
      expect(await invokeCommand.run(['connect', '--event', file], io)).to.equal(1);
      const error = json(io.out) as { errorType: string; errorMessage: string };
      expect(error.errorType).to.equal('TypeError');
      expect(error.errorMessage).to.match(
        /^the event is not a connect event: requestContext: .*\(the handler failed on it with TypeError: /,
      );

      const event = captureIo();
      expect(await invokeCommand.run(['disconnect', '--event', file, '--invocation-type', 'Event'], event)).to.equal(0);
      expect(json(event.err))
        .to.have.property('errorMessage')
        .that.matches(/^the event is not a disconnect event: requestContext: /);
    });

    it('runs a handler that copes with an event of the wrong shape, and notes the mismatch on stderr', async function () {
      const file = join(scratch, 'bare-authorizer.json');
      writeFileSync(file, JSON.stringify({ type: 'REQUEST' }));
      const io = captureIo();
      expect(await invokeCommand.run(['authorizer', '--event', file], io)).to.equal(0);
      expect(json(io.out)).to.have.nested.property('policyDocument.Statement[0].Effect', 'Deny');
      expect(io.err.join('')).to.include('note: the event is not an authorizer event: methodArn');
    });

    it('says why the authorizer sample is denied and where to read how to get an Allow', async function () {
      const io = captureIo();
      expect(await invokeCommand.run(['authorizer', '--event', join(EVENTS, 'authorizer.json')], io)).to.equal(0);
      expect(json(io.out)).to.have.nested.property('policyDocument.Statement[0].Effect', 'Deny');
      expect(io.err.join('')).to.include('the authorizer denied the connection').and.include('events/README.md');
      expect(invokeCommand.usage).to.include('events/README.md');
      const readme = readFileSync(join(EVENTS, 'README.md'), 'utf8');
      for (const fact of [
        'TOKEN_SIGNATURE_INVALID',
        'GRANT_NOT_FOUND',
        'hermes.js token --user user-42 --room company-7',
        '"Effect":"Allow"',
      ]) {
        expect(readme).to.include(fact);
      }
      for (const sample of readdirSync(EVENTS).filter((name) => name.endsWith('.json'))) expect(readme, sample).to.include(`\`${sample}\``);
    });
  });

  describe('usage', function () {
    const usage = async (argv: string[]): Promise<unknown> =>
      invokeCommand.run(argv, captureIo()).then(
        () => undefined,
        (error: unknown) => error,
      );

    it('requires a known handler, --event and a known invocation type', async function () {
      expect(await usage([])).to.have.property('name', 'UsageError');
      expect(await usage(['nope', '--event', 'x.json']))
        .to.have.property('message')
        .that.includes('unknown handler "nope"');
      expect(await usage(['connect'])).to.have.property('message', '--event is required');
      expect(await usage(['connect', '--event', 'x.json', '--invocation-type', 'Async']))
        .to.have.property('message')
        .that.includes('RequestResponse, Event, DryRun');
      expect(await usage(['connect', '--event', 'x.json', '--timeout', '0'])).to.have.property('name', 'UsageError');
    });

    it('explains a missing or malformed event file', async function () {
      const bad = join(scratch, 'bad.json');
      writeFileSync(bad, '{not json');
      expect(await usage(['connect', '--event', join(scratch, 'missing.json')]))
        .to.have.property('message')
        .that.includes('cannot read the event');
      expect(await usage(['connect', '--event', bad]))
        .to.have.property('message')
        .that.includes('is not JSON');
    });
  });
});
