/**
 * `npm run bench:lambda`: per Lambda handler, the bundle size and its cold module-initialisation
 * time (a fresh `node` process imports the function's `index.mjs`; median of several runs), for the
 * functions as deployed (AWS SDK bundled, V8 code cache shipped beside the bundle) and, for
 * comparison, the same bundles without their code cache and with the SDK left to the runtime.
 *
 *   npm run bench:lambda                 # 9 runs per bundle, every variant
 *   npm run bench:lambda -- --runs 15 --bundled-only
 *
 * The functions start with the environment template.yaml gives them (HERMES_PROFILE=aws: the AWS
 * adapters and SDK clients are built during init), plus what the Lambda runtime sets
 * (scripts/lib/lambdaInitEnvironment.ts). Nothing is called over the network during init. Every run
 * is a cold start: a new process, and no cache but the one built into the function's directory (a
 * run fails when V8 rejects it, since the figure would then not be the deployed one's).
 * Besides the wall time of init, the table gives its CPU time (user + system, every thread of the process): on
 * a machine others load, wall times inflate several-fold while CPU time inflates far less; report the load
 * average (printed) with either.
 * Targets: authorizer, connect, disconnect ≤ 400 KiB, every bundle ≤ 600 KiB
 * (scripts/build-lambda.ts BUNDLE_BUDGETS), init median ≤ 60 ms.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { BUNDLE_BUDGETS, buildLambdas, overBudget, PROJECT_ROOT, type LambdaBundle } from '../../scripts/build-lambda.js';
import { runBundle } from '../../scripts/lib/invokeBundle.js';
import { FULL_DEPLOYMENT_PARAMETERS, lambdaInitEnvironment } from '../../scripts/lib/lambdaInitEnvironment.js';
import { EvaluatedTemplate, loadTemplate } from '../../scripts/lib/samTemplate.js';
import { LAMBDA_HANDLER_NAMES, type LambdaHandlerName } from '../../src/entrypoints/lambda/shared/lambdaHandlers.js';
import { median } from '../lib/quantile.js';

const INIT_TARGET_MS = 60;
const WORK_DIR = join(PROJECT_ROOT, '.cache', 'bench-lambda');

interface Variant {
  readonly label: string;
  /** Directory under the work directory. */
  readonly dir: string;
  readonly externalAwsSdk: boolean;
  readonly codeCache: boolean;
}

interface Measurement {
  readonly name: LambdaHandlerName;
  readonly variant: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly codeCacheBytes: number;
  readonly initMs: { readonly median: number; readonly min: number; readonly max: number };
  /** CPU time of init (every thread): on a busy machine, closer to the idle figure than the wall time. */
  readonly initCpuMs: { readonly median: number };
}

function parseArgs(argv: readonly string[]): { runs: number; variants: Variant[] } {
  let runs = 9;
  let bundledOnly = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--runs') runs = Number(argv[++index]);
    else if (arg === '--bundled-only') bundledOnly = true;
    else throw new Error(`unknown argument ${arg}; usage: bench:lambda [--runs N] [--bundled-only]`);
  }
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  const variants: Variant[] = [{ label: 'SDK bundled + code cache (deployed)', dir: 'bundled', externalAwsSdk: false, codeCache: true }];
  if (!bundledOnly) {
    variants.push({ label: 'SDK bundled, no code cache', dir: 'no-cache', externalAwsSdk: false, codeCache: false });
    variants.push({ label: 'SDK external (runtime), no code cache', dir: 'external', externalAwsSdk: true, codeCache: false });
  }
  return { runs, variants };
}

/** One cold start of `bundle`: its init time and CPU time; throws when it fails or V8 did not take the expected code cache. */
async function coldStart(bundle: LambdaBundle, variant: Variant, env: Record<string, string>): Promise<{ ms: number; cpuMs: number }> {
  const result = await runBundle(bundle.file, undefined, { env, cwd: PROJECT_ROOT });
  if (!result.ok || result.initMs === undefined) {
    throw new Error(
      `${bundle.name} (${variant.label}) failed to initialise: ${result.errorType}: ${result.errorMessage}\n${result.output}`,
    );
  }
  const expected = variant.codeCache ? 'accepted' : 'absent';
  if (result.codeCacheStatus !== expected) {
    throw new Error(`${bundle.name} (${variant.label}): code cache ${result.codeCacheStatus ?? 'unknown'}, expected ${expected}`);
  }
  return { ms: result.initMs, cpuMs: result.initCpuMs ?? Number.NaN };
}

/**
 * `runs` cold starts of every bundle, taken round by round (each round starts every function once):
 * on a machine whose speed drifts (a shared VM), a slow spell then weighs on every function alike
 * instead of on whichever was being measured.
 */
async function measureAll(
  bundles: readonly LambdaBundle[],
  variant: Variant,
  envOf: (name: LambdaHandlerName) => Record<string, string>,
  runs: number,
): Promise<Measurement[]> {
  const samples = new Map(bundles.map((bundle) => [bundle.name, { times: [] as number[], cpuTimes: [] as number[] }]));
  for (let run = 0; run < runs; run++) {
    for (const bundle of bundles) {
      const { ms, cpuMs } = await coldStart(bundle, variant, envOf(bundle.name));
      const sample = samples.get(bundle.name);
      sample?.times.push(ms);
      sample?.cpuTimes.push(cpuMs);
    }
    process.stderr.write('.');
  }
  return bundles.map((bundle) => {
    const { times, cpuTimes } = samples.get(bundle.name) ?? { times: [], cpuTimes: [] };
    return {
      name: bundle.name,
      variant: variant.label,
      bytes: bundle.bytes,
      gzipBytes: gzipSync(readFileSync(join(dirname(bundle.file), 'bundle.js'))).length,
      codeCacheBytes: bundle.codeCacheBytes,
      initMs: { median: median(times), min: Math.min(...times), max: Math.max(...times) },
      initCpuMs: { median: median(cpuTimes) },
    };
  });
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function table(measurements: readonly Measurement[]): string {
  const header = '| handler | variant | bundle | gzip | code cache | init median (min-max) | init CPU median | targets |';
  const rule = '|---|---|---:|---:|---:|---:|---:|---|';
  const rows = measurements.map((m) => {
    const ok = !overBudget({ name: m.name, bytes: m.bytes }) && m.initMs.median <= INIT_TARGET_MS;
    const init = `${m.initMs.median.toFixed(1)} ms (${m.initMs.min.toFixed(1)}-${m.initMs.max.toFixed(1)})`;
    const cache = m.codeCacheBytes > 0 ? kib(m.codeCacheBytes) : '-';
    return `| ${m.name} | ${m.variant} | ${kib(m.bytes)} | ${kib(m.gzipBytes)} | ${cache} | ${init} | ${m.initCpuMs.median.toFixed(1)} ms | ${ok ? 'met' : 'MISSED'} |`;
  });
  return [header, rule, ...rows].join('\n');
}

async function main(): Promise<void> {
  const { runs, variants } = parseArgs(process.argv.slice(2));
  const deployment = new EvaluatedTemplate(loadTemplate(), FULL_DEPLOYMENT_PARAMETERS);
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(WORK_DIR, { recursive: true });
  const measurements: Measurement[] = [];
  for (const variant of variants) {
    // Inside the repository, so the external variant resolves @aws-sdk/* from node_modules.
    const dir = join(WORK_DIR, variant.dir);
    const bundles = await buildLambdas({
      outDir: join(dir, 'lambda'),
      metaDir: join(dir, 'meta'),
      externalAwsSdk: variant.externalAwsSdk,
      codeCache: variant.codeCache,
      enforceSizeLimit: false,
    });
    const ordered = LAMBDA_HANDLER_NAMES.map((name) => {
      const bundle = bundles.find((candidate) => candidate.name === name);
      if (!bundle) throw new Error(`no bundle for ${name}`);
      return bundle;
    });
    measurements.push(...(await measureAll(ordered, variant, (name) => lambdaInitEnvironment(name, deployment), runs)));
  }
  process.stderr.write('\n');
  console.log(
    `node ${process.version} ${process.platform}/${process.arch}, ${runs} cold imports per bundle, load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `targets: bundle <= ${LAMBDA_HANDLER_NAMES.map((name) => `${name} ${kib(BUNDLE_BUDGETS[name])}`).join(', ')}; init median <= ${INIT_TARGET_MS} ms\n`,
  );
  console.log(table(measurements));
  writeFileSync(join(WORK_DIR, 'results.json'), `${JSON.stringify({ node: process.version, runs, measurements }, null, 2)}\n`);
  const deployed = measurements.filter((m) => m.variant === variants[0]?.label);
  const missed = deployed.filter((m) => overBudget({ name: m.name, bytes: m.bytes }) || m.initMs.median > INIT_TARGET_MS);
  console.log(
    missed.length === 0 ? '\nall deployed bundles meet the targets' : `\ntargets missed by: ${missed.map((m) => m.name).join(', ')}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
