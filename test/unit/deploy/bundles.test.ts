import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import type { Metafile } from 'esbuild';
import jwt from 'jsonwebtoken';
import { BUNDLE_BUDGETS, MAX_BUNDLE_BYTES, PROJECT_ROOT } from '../../../scripts/build-lambda.js';
import { runBundle, type BundleRun } from '../../../scripts/lib/invokeBundle.js';
import { lambdaInitEnvironment } from '../../../scripts/lib/lambdaInitEnvironment.js';
import { LAMBDA_HANDLER_NAMES, type LambdaHandlerName } from '../../../src/entrypoints/lambda/shared/lambdaHandlers.js';
import { lambdaBuild, type LambdaBuild } from './support/lambdaBuild.js';

const EVENTS = join(PROJECT_ROOT, 'events');
const JWT_SECRET = randomBytes(48).toString('base64url');

/** A fresh process on the memory profile, with nothing of this one's environment. */
const MEMORY_ENV = {
  PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  HERMES_PROFILE: 'memory',
  JWT_SECRET,
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

interface PolicyResult {
  principalId: string;
  policyDocument: { Statement: Array<{ Action: string; Effect: string; Resource: string }> };
  context?: Record<string, unknown>;
}

describe('Lambda bundles (smoke: each imported in a fresh Node process on the memory profile)', function () {
  this.timeout(120_000);
  let build: LambdaBuild;
  let scratch: string;

  const bundleOf = (name: LambdaHandlerName): string => join(build.outDir, name, 'index.mjs');
  const codeOf = (name: LambdaHandlerName): string => join(build.outDir, name, 'bundle.js');
  const invoke = async (name: LambdaHandlerName, eventFile: string): Promise<BundleRun> => {
    const run = await runBundle(bundleOf(name), eventFile, { env: MEMORY_ENV, cwd: scratch });
    expect(run.ok, `${name}: ${run.errorType}: ${run.errorMessage}\n${run.output}`).to.equal(true);
    return run;
  };
  const event = (file: string): string => join(EVENTS, file);

  before(async function () {
    build = await lambdaBuild();
    scratch = mkdtempSync(join(tmpdir(), 'hermes-bundle-run-'));
  });

  after(function () {
    rmSync(scratch, { recursive: true, force: true });
  });

  describe('build', function () {
    it('bundles every handler within its budget: 400 KiB on the connection path, 600 KiB for any', function () {
      expect(build.bundles.map((bundle) => bundle.name).sort()).to.deep.equal([...LAMBDA_HANDLER_NAMES].sort());
      for (const bundle of build.bundles) {
        expect(bundle.bytes, `${bundle.name}: ${bundle.bytes} bytes`).to.be.at.most(BUNDLE_BUDGETS[bundle.name]);
        expect(bundle.bytes, `${bundle.name}: ${bundle.bytes} bytes`).to.be.at.most(MAX_BUNDLE_BYTES);
      }
      for (const name of ['authorizer', 'connect', 'disconnect'] as const) expect(BUNDLE_BUDGETS[name]).to.equal(400 * 1024);
    });

    it('bundles neither inversify nor reflect-metadata (the composition roots use plain constructors)', function () {
      for (const name of LAMBDA_HANDLER_NAMES) {
        const metafile = JSON.parse(readFileSync(join(build.metaDir, `${name}.json`), 'utf8')) as Metafile;
        const packages = Object.keys(metafile.inputs).filter((input) =>
          /node_modules\/(inversify|@inversifyjs|reflect-metadata)\//.test(input),
        );
        expect(packages, name).to.deep.equal([]);
      }
    });

    it('bundles Powertools Tracer (SDK calls as X-Ray subsegments) in every function with SDK calls and room for it in its budgets', function () {
      // Tracer and the X-Ray SDK are about 90 KiB and 6 ms of init: the connection path (400 KiB budget) and the
      // action-runner (60 ms init target) keep Lambda's own active-tracing segments only; `default` makes no SDK call.
      const tracedBy = (name: LambdaHandlerName): boolean => {
        const metafile = JSON.parse(readFileSync(join(build.metaDir, `${name}.json`), 'utf8')) as Metafile;
        return Object.keys(metafile.inputs).some((input) => input.includes('node_modules/@aws-lambda-powertools/tracer/'));
      };
      const traced = LAMBDA_HANDLER_NAMES.filter(tracedBy);
      expect([...traced].sort()).to.deep.equal(['presence', 'queue', 'resume', 'sendMessage']);
    });

    it('ships a V8 code cache of each init, which a fresh process of the same Node accepts', async function () {
      for (const name of LAMBDA_HANDLER_NAMES) {
        const bundle = build.bundles.find((candidate) => candidate.name === name);
        expect(bundle?.codeCacheBytes, name).to.be.greaterThan(0);
        expect(statSync(join(build.outDir, name, 'bundle.cache')).size, name).to.equal(bundle?.codeCacheBytes);
      }
      const run = await runBundle(bundleOf('connect'), undefined, { env: MEMORY_ENV, cwd: scratch });
      expect(run.ok, run.errorMessage).to.equal(true);
      expect(run.codeCacheStatus).to.equal('accepted');
    });

    it('runs, from the code cache, the SDK code that loads built-ins on first use (its HTTP handler)', async function () {
      // A port nothing listens on: the first DynamoDB call fails to connect, after the HTTP handler's `import('node:http')`.
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise((resolve) => server.close(resolve));
      const env = { ...lambdaInitEnvironment('connect'), AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_MAX_ATTEMPTS: '1' };
      const run = await runBundle(bundleOf('connect'), event('connect.json'), { env, cwd: scratch });
      expect(run.codeCacheStatus).to.equal('accepted');
      expect(run.phase, run.output).to.equal('invoke');
      expect(run.errorMessage).to.match(/ECONNREFUSED/);
    });

    it('maps stack frames of the bundle to src/ under --enable-source-maps (the template sets it)', function () {
      const script = `const m = await import(${JSON.stringify(pathToFileURL(bundleOf('connect')).href)});
        try { await m.handler(null, undefined); } catch (error) { console.log(error.stack); }`;
      const mapped = execFileSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
        env: MEMORY_ENV,
        cwd: scratch,
        encoding: 'utf8',
      });
      expect(mapped).to.include('src/entrypoints/lambda/handlers/connect.ts:');
      const unmapped = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: MEMORY_ENV,
        cwd: scratch,
        encoding: 'utf8',
      });
      expect(unmapped).to.include('bundle.js:').and.not.include('src/entrypoints/lambda/handlers/connect.ts');
    });

    it('bundles only the SDK clients a function uses', function () {
      const sdkClients = (name: LambdaHandlerName): string[] => {
        const metafile = JSON.parse(readFileSync(join(build.metaDir, `${name}.json`), 'utf8')) as Metafile;
        // What ends up in the output, not every file esbuild parsed before tree-shaking.
        const kept = Object.values(metafile.outputs).flatMap((output) =>
          Object.entries(output.inputs)
            .filter(([, input]) => input.bytesInOutput > 0)
            .map(([path]) => path),
        );
        const clients = kept.map((input) => /node_modules\/@aws-sdk\/(client-[a-z-]+)\//.exec(input)?.[1]);
        return [...new Set(clients.filter((client): client is string => client !== undefined))].sort();
      };
      // $connect and $disconnect post presence.join / presence.leave to the room (@connections).
      expect(sdkClients('connect')).to.deep.equal(['client-apigatewaymanagementapi', 'client-dynamodb']);
      expect(sdkClients('disconnect')).to.deep.equal(['client-apigatewaymanagementapi', 'client-dynamodb']);
      expect(sdkClients('resume')).to.deep.equal(['client-apigatewaymanagementapi', 'client-dynamodb']);
      expect(sdkClients('presence')).to.deep.equal(['client-apigatewaymanagementapi', 'client-dynamodb']);
      expect(sdkClients('authorizer')).to.deep.equal(['client-dynamodb', 'client-secrets-manager']);
      expect(sdkClients('default')).to.deep.equal([]);
      expect(sdkClients('sendMessage')).to.not.include('client-sqs');
    });

    it('is self-contained: imports nothing but Node built-ins (the AWS SDK is bundled)', function () {
      for (const name of LAMBDA_HANDLER_NAMES) {
        const metafile = JSON.parse(readFileSync(join(build.metaDir, `${name}.json`), 'utf8')) as Metafile;
        const externals = Object.values(metafile.outputs)
          .flatMap((output) => output.imports)
          .filter((entry) => entry.external)
          .map((entry) => entry.path);
        expect(
          externals.filter((path) => !isBuiltin(path)),
          name,
        ).to.deep.equal([]);
        const inputs = Object.keys(metafile.inputs);
        // Each function's composition root imports only what it uses: `$default` answers alone, without any SDK client.
        const usesAws = name !== 'default';
        expect(
          inputs.some((input) => input.includes('node_modules/@aws-sdk/')),
          `${name} bundles the SDK`,
        ).to.equal(usesAws);
      }
    });

    it('is a CommonJS function expression with a source map, run by index.mjs through loader.mjs', function () {
      for (const name of LAMBDA_HANDLER_NAMES) {
        const code = readFileSync(codeOf(name), 'utf8');
        expect(code.startsWith('(function (exports, require, module, __filename, __dirname) {'), name).to.equal(true);
        expect(code.trimEnd().endsWith('//# sourceMappingURL=bundle.js.map'), name).to.equal(true);
        expect(readFileSync(bundleOf(name), 'utf8'), name).to.include("from './loader.mjs'");
        expect(readFileSync(join(build.outDir, name, 'loader.mjs'), 'utf8'), name).to.include('cachedData');
        const map = JSON.parse(readFileSync(`${codeOf(name)}.map`, 'utf8')) as { sources: string[] };
        expect(
          map.sources.some((source) => source.includes(`src/entrypoints/lambda/`)),
          name,
        ).to.equal(true);
      }
    });
  });

  describe('handlers', function () {
    it('authorizer: answers a bad token with a Deny policy, without reflect-metadata', async function () {
      const run = await invoke('authorizer', event('authorizer.json'));
      // The composition roots use plain constructors: inversify's decorators are stand-ins (scripts/lib/lambdaInversify.ts).
      expect(run.reflectMetadata).to.equal(false);
      const policy = run.result as PolicyResult;
      const sample = JSON.parse(readFileSync(event('authorizer.json'), 'utf8')) as { methodArn: string };
      expect(policy.policyDocument.Statement).to.deep.equal([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: sample.methodArn }]);
      expect(policy.context).to.equal(undefined);
    });

    it('authorizer: denies a well-signed token for which this environment holds no grant', async function () {
      const sample = JSON.parse(readFileSync(event('authorizer.json'), 'utf8')) as Record<string, unknown>;
      const token = jwt.sign({ user_id: 'user-42', room_id: 'company-7', token: randomBytes(32).toString('hex') }, JWT_SECRET, {
        algorithm: 'HS512',
        expiresIn: 600,
      });
      const file = join(scratch, 'authorizer-signed.json');
      writeFileSync(file, JSON.stringify({ ...sample, queryStringParameters: { token } }));
      const policy = (await invoke('authorizer', file)).result as PolicyResult;
      expect(policy.principalId).to.equal('anonymous');
      expect(policy.policyDocument.Statement[0]?.Effect).to.equal('Deny');
    });

    it('connect: registers the authorized connection (200)', async function () {
      expect((await invoke('connect', event('connect.json'))).result).to.deep.equal({ statusCode: 200 });
    });

    it('disconnect: forgets the connection (200)', async function () {
      expect((await invoke('disconnect', event('disconnect.json'))).result).to.deep.equal({ statusCode: 200 });
    });

    it('sendMessage: relays the message to the sender room (200)', async function () {
      expect((await invoke('sendMessage', event('sendMessage.json'))).result).to.deep.equal({ statusCode: 200 });
    });

    it('default: answers an unknown action with the known ones', async function () {
      const result = (await invoke('default', event('default.json'))).result as { statusCode: number; body: string };
      expect(result.statusCode).to.equal(400);
      expect(JSON.parse(result.body)).to.have.nested.property('error.code', 'UNKNOWN_ACTION');
      expect(JSON.parse(result.body)).to.have.nested.property('error.known_actions').that.includes('sendMessage');
    });

    it('queue: delivers a batch, reporting no failure', async function () {
      expect((await invoke('queue', event('queue.json'))).result).to.deep.equal({ batchItemFailures: [] });
    });

    it('queue: reports only the invalid record in batchItemFailures', async function () {
      const sample = JSON.parse(readFileSync(event('queue-partial-failure.json'), 'utf8')) as {
        Records: Array<{ messageId: string; body: string }>;
      };
      const invalid = sample.Records.filter((record) => !('room_id' in (JSON.parse(record.body) as object)));
      expect(invalid).to.have.length(1);
      expect((await invoke('queue', event('queue-partial-failure.json'))).result).to.deep.equal({
        batchItemFailures: [{ itemIdentifier: invalid[0]?.messageId }],
      });
    });

    it('action-runner: handles a create_vm run (Port simulated on the memory profile)', async function () {
      const summary = (await invoke('action-runner', event('action-runner.json'))).result as Record<string, number>;
      expect(summary).to.include({ records: 1, completed: 1 });
    });

    it('action-runner: settles a run of an action it has no handler for, without failing the batch', async function () {
      const summary = (await invoke('action-runner', event('action-runner-unknown-action.json'))).result as Record<string, number>;
      expect(summary).to.include({ records: 1, completed: 0 });
      expect((summary['skipped'] ?? 0) + (summary['duplicates'] ?? 0)).to.equal(1);
    });
  });
});
