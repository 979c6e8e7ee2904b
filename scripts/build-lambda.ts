/**
 * Bundles every Lambda handler with esbuild for the `nodejs22.x` runtime into `dist/lambda/<name>/`:
 * `bundle.js` (+ `bundle.js.map`), the V8 code cache of its init `bundle.cache`, and the entry
 * `index.mjs` (+ `loader.mjs`, scripts/lib/lambda-loader.mjs) that runs the bundle with that cache.
 * esbuild's metafile goes to `dist/lambda-meta/<name>.json` (kept out of the function's code
 * directory so it is not deployed).
 *
 *   npm run build:lambda                 # all handlers
 *   npm run build:lambda -- connect queue
 *   npm run build:lambda -- --external-aws-sdk --out-dir /tmp/x   # the runtime's SDK instead (comparison only)
 *   npm run build:lambda -- --handlers examples/handlers/restartService.ts,examples/handlers/deleteVm.ts
 *                                        # handler modules (HERMES_ACTION_HANDLERS) bundled into action-runner
 *   npm run build:lambda -- --code-cache-node /opt/node22/bin/node # make the cache with the runtime's Node
 *   npm run build:lambda -- --no-code-cache
 *
 * The AWS SDK v3 is bundled, not left to the runtime: see docs/deploy.md ("Lambda bundles").
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { isLambdaHandlerName, LAMBDA_HANDLER_NAMES, type LambdaHandlerName } from '../src/entrypoints/lambda/shared/lambdaHandlers.js';
import { lambdaInitEnvironment } from './lib/lambdaInitEnvironment.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT_DIR = join(PROJECT_ROOT, 'dist', 'lambda');
export const DEFAULT_META_DIR = join(PROJECT_ROOT, 'dist', 'lambda-meta');
/** Budget of any bundle (`bundle.js`, minified; the code cache beside it is not counted). */
export const MAX_BUNDLE_BYTES = 600 * 1024;

/**
 * Budget per bundle: each function's composition root imports only what it uses, so the functions
 * on the connection path (authorizer, `$connect`, `$disconnect`) stay within 400 KiB.
 */
export const BUNDLE_BUDGETS: Readonly<Record<LambdaHandlerName, number>> = {
  authorizer: 400 * 1024,
  connect: 400 * 1024,
  disconnect: 400 * 1024,
  sendMessage: MAX_BUNDLE_BYTES,
  resume: MAX_BUNDLE_BYTES,
  presence: MAX_BUNDLE_BYTES,
  default: MAX_BUNDLE_BYTES,
  queue: MAX_BUNDLE_BYTES,
  'action-runner': MAX_BUNDLE_BYTES,
};

/** True when `bundle` is over its budget. */
export function overBudget(bundle: { readonly name: LambdaHandlerName; readonly bytes: number }): boolean {
  return bundle.bytes > BUNDLE_BUDGETS[bundle.name];
}

/**
 * The bundle is CommonJS wrapped in a function expression, which the loader compiles with
 * `node:vm` (the one API that takes a V8 code cache) and calls like Node calls a module.
 * esbuild accounts for the banner in the source map.
 */
const BUNDLE_BANNER =
  '(function (exports, require, module, __filename, __dirname) {' +
  // What `import('node:…')` of a dependency becomes (see builtinImports): the built-in's namespace.
  'const __hermesImportBuiltin = (id) => Promise.resolve().then(() => { const m = require(id); return { ...m, default: m }; });';
const BUNDLE_FOOTER = '})';
const LOADER = join(PROJECT_ROOT, 'scripts', 'lib', 'lambda-loader.mjs');
const CODE_CACHE_WRITER = join(PROJECT_ROOT, 'scripts', 'lib', 'write-code-cache.mjs');
const CODE_CACHE_MARKER = '@@hermes-code-cache@@';

/** The function's entry (`index.mjs`): the Lambda runtime imports it and finds `handler`. */
const INDEX_MODULE = `import { fileURLToPath } from 'node:url';
import { compileBundle, runBundle } from './loader.mjs';

const compiled = compileBundle(fileURLToPath(new URL('.', import.meta.url)));
/** The function's handler (module scope: init runs once per execution environment). */
export const handler = runBundle(compiled).handler;
/** Whether V8 compiled the bundle from the shipped code cache ('accepted'), or from source ('rejected', 'absent'). */
export const codeCacheStatus = compiled.codeCacheStatus;
`;

export interface BuildLambdaOptions {
  /** Handlers to build (default: all). */
  readonly names?: readonly LambdaHandlerName[];
  /** Where `<name>/index.mjs` goes (default `dist/lambda`). */
  readonly outDir?: string;
  /** Where `<name>.json` metafiles go (default `dist/lambda-meta`). */
  readonly metaDir?: string;
  /** Leave `@aws-sdk/*` to the runtime (only to compare sizes and start-up times). */
  readonly externalAwsSdk?: boolean;
  /** Fail when a bundle exceeds its {@link BUNDLE_BUDGETS} entry (default true). */
  readonly enforceSizeLimit?: boolean;
  /** Handler modules (paths relative to the working directory) bundled into action-runner. */
  readonly handlerModules?: readonly string[];
  /** Write `bundle.cache`, the V8 code cache of the function's init (default true). */
  readonly codeCache?: boolean;
  /**
   * The Node binary that makes the code cache (default: this one). V8 accepts a cache only from its
   * own version and flags: for Lambda, use the runtime's Node (22) with the flags it starts with.
   */
  readonly codeCacheNode?: string;
  /** Extra flags for {@link codeCacheNode} (V8 flags must match the runtime's). */
  readonly codeCacheNodeArgs?: readonly string[];
}

export interface LambdaBundle {
  readonly name: LambdaHandlerName;
  /** Absolute path of the function's entry, `index.mjs`. */
  readonly file: string;
  /** Size of the code, `bundle.js` (what the budgets limit). */
  readonly bytes: number;
  /** Size of `bundle.cache` (0 without a code cache). */
  readonly codeCacheBytes: number;
  readonly metafile: string;
}

export class BundleTooLargeError extends Error {
  constructor(readonly bundles: readonly LambdaBundle[]) {
    super(
      'bundle size budget exceeded by: ' +
        bundles.map((bundle) => `${bundle.name} (${bundle.bytes} > ${BUNDLE_BUDGETS[bundle.name]} bytes)`).join(', ') +
        '; inspect the metafiles (e.g. https://esbuild.github.io/analyze/)',
    );
    this.name = 'BundleTooLargeError';
  }
}

const LAMBDA_CREDENTIAL_PROVIDER = join(PROJECT_ROOT, 'scripts', 'lib', 'lambdaCredentialProvider.ts');
const LAMBDA_SEMVER = join(PROJECT_ROOT, 'scripts', 'lib', 'lambdaSemver.ts');
const LAMBDA_INVERSIFY = join(PROJECT_ROOT, 'scripts', 'lib', 'lambdaInversify.ts');
const LAMBDA_ASSERT = join(PROJECT_ROOT, 'scripts', 'lib', 'lambdaAssert.ts');

/**
 * Lambda-only stand-ins, each explained in its file: environment-only AWS credentials
 * (scripts/lib/lambdaCredentialProvider.ts), jsonwebtoken's Node version check
 * (scripts/lib/lambdaSemver.ts), inversify's decorators, which plain constructors do not need
 * (scripts/lib/lambdaInversify.ts), and cls-hooked's `assert` (scripts/lib/lambdaAssert.ts).
 */
const lambdaStandIns = (externalAwsSdk: boolean): Plugin => ({
  name: 'hermes-lambda-stand-ins',
  setup(pluginBuild) {
    if (!externalAwsSdk) {
      pluginBuild.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path: LAMBDA_CREDENTIAL_PROVIDER }));
    }
    pluginBuild.onResolve({ filter: /^semver$/ }, () => ({ path: LAMBDA_SEMVER }));
    pluginBuild.onResolve({ filter: /^inversify$/ }, () => ({ path: LAMBDA_INVERSIFY }));
    pluginBuild.onResolve({ filter: /^(node:)?assert$/ }, (args) =>
      /[\\/]node_modules[\\/]cls-hooked[\\/]/.test(args.importer) ? { path: LAMBDA_ASSERT } : undefined,
    );
  },
});

const BUNDLED_HANDLER_MODULES = /[\\/]src[\\/]entrypoints[\\/]lambda[\\/]bundledHandlerModules\.(ts|js)$/;

/** `--handlers`: the action-runner's list of bundled handler modules becomes one that imports each given module. */
const bundledHandlerModules = (modules: readonly string[]): Plugin => ({
  name: 'hermes-bundled-handler-modules',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: BUNDLED_HANDLER_MODULES }, () => {
      const imports = modules.map((path, index) => `import * as m${index} from ${JSON.stringify(resolve(path))};`);
      const list = modules.map((path, index) => `{ source: ${JSON.stringify(path)}, exports: m${index} }`);
      return {
        contents: `${imports.join('\n')}\nexport const BUNDLED_HANDLER_MODULES = [${list.join(', ')}];\n`,
        loader: 'ts',
        resolveDir: PROJECT_ROOT,
      };
    });
  },
});
const BUILTIN_IMPORT = /\bimport\((["'])(node:[\w/]+)\1\)/g;

/**
 * Dependencies load some built-ins on first use (`await import('node:http')` in the SDK's HTTP
 * handler). Code compiled from a V8 code cache by `node:vm` cannot run `import()` (its host-defined
 * options are not restored: "A dynamic import callback was not specified"), so these become
 * `__hermesImportBuiltin('node:http')` (the banner's `require`), still on first use.
 */
const builtinImports: Plugin = {
  name: 'hermes-builtin-imports',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]node_modules[\\/].*\.m?js$/ }, async (args) => {
      const contents = await readFile(args.path, 'utf8');
      if (!contents.includes("import('node:") && !contents.includes('import("node:')) return undefined;
      return { contents: contents.replace(BUILTIN_IMPORT, '__hermesImportBuiltin($1$2$1)'), loader: 'js' };
    });
  },
};

function functionPackage(name: LambdaHandlerName): Record<string, unknown> {
  return {
    name: `hermes-lambda-${name.toLowerCase()}`,
    version: '0.0.0',
    private: true,
    description: `hermes ${name} Lambda handler (prebuilt bundle; no dependencies)`,
    type: 'module',
    main: 'index.mjs',
  };
}

type ResolvedOptions = Required<Omit<BuildLambdaOptions, 'names' | 'codeCacheNode'>> & { readonly codeCacheNode: string };

/** Runs the function's init in a fresh process with its environment and saves the V8 code cache; returns its size. */
function writeCodeCache(name: LambdaHandlerName, functionDir: string, options: ResolvedOptions): Promise<number> {
  const args = [...options.codeCacheNodeArgs, CODE_CACHE_WRITER, functionDir];
  return new Promise((resolvePromise, reject) => {
    execFile(
      options.codeCacheNode,
      args,
      { env: lambdaInitEnvironment(name), cwd: functionDir, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((candidate) => candidate.startsWith(CODE_CACHE_MARKER));
        if (!line) {
          reject(new Error(`${name}: no code cache (${error?.message ?? 'no report'})\n${stdout}\n${stderr}`));
          return;
        }
        const report = JSON.parse(line.slice(CODE_CACHE_MARKER.length)) as { bytes: number; initError?: string };
        if (report.initError) console.warn(`${name}: init failed while making the code cache (partial cache): ${report.initError}`);
        resolvePromise(report.bytes);
      },
    );
  });
}

async function buildOne(name: LambdaHandlerName, options: ResolvedOptions): Promise<LambdaBundle> {
  const functionDir = join(options.outDir, name);
  const outfile = join(functionDir, 'bundle.js');
  await rm(functionDir, { recursive: true, force: true });
  const result = await build({
    entryPoints: [join(PROJECT_ROOT, 'src', 'entrypoints', 'lambda', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    // Prefer the ES module builds of dependencies (the AWS SDK ships both): they tree-shake.
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: 'linked',
    // Stack traces need only names and positions; the sources are in the repository.
    sourcesContent: false,
    legalComments: 'none',
    metafile: true,
    banner: { js: BUNDLE_BANNER },
    footer: { js: BUNDLE_FOOTER },
    external: options.externalAwsSdk ? ['@aws-sdk/*'] : [],
    // Handler modules import `hermes/runner`: in a bundle, its source (the package's entry picks dist or src at run time).
    alias: { 'hermes/runner': join(PROJECT_ROOT, 'src', 'runner.ts') },
    plugins: [
      lambdaStandIns(options.externalAwsSdk),
      builtinImports,
      ...(name === 'action-runner' && options.handlerModules.length > 0 ? [bundledHandlerModules(options.handlerModules)] : []),
    ],
    logLevel: 'warning',
  });
  await writeFile(join(functionDir, 'index.mjs'), INDEX_MODULE);
  await copyFile(LOADER, join(functionDir, 'loader.mjs'));
  // Marks the directory as a package so `sam build` (npm builder) copies the prebuilt bundle as is.
  await writeFile(join(functionDir, 'package.json'), `${JSON.stringify(functionPackage(name), null, 2)}\n`);
  await mkdir(options.metaDir, { recursive: true });
  const metafile = join(options.metaDir, `${name}.json`);
  await writeFile(metafile, JSON.stringify(result.metafile));
  const { size } = await stat(outfile);
  const codeCacheBytes = options.codeCache ? await writeCodeCache(name, functionDir, options) : 0;
  return { name, file: join(functionDir, 'index.mjs'), bytes: size, codeCacheBytes, metafile };
}

/** Builds the handlers (in parallel) and returns their sizes; rejects with {@link BundleTooLargeError} over budget. */
export async function buildLambdas(options: BuildLambdaOptions = {}): Promise<LambdaBundle[]> {
  const resolved = {
    outDir: options.outDir ?? DEFAULT_OUT_DIR,
    metaDir: options.metaDir ?? DEFAULT_META_DIR,
    externalAwsSdk: options.externalAwsSdk ?? false,
    enforceSizeLimit: options.enforceSizeLimit ?? true,
    handlerModules: options.handlerModules ?? [],
    codeCache: options.codeCache ?? true,
    codeCacheNode: options.codeCacheNode ?? process.execPath,
    codeCacheNodeArgs: options.codeCacheNodeArgs ?? [],
  };
  const names = options.names ?? LAMBDA_HANDLER_NAMES;
  const bundles = await Promise.all(names.map((name) => buildOne(name, resolved)));
  const tooLarge = bundles.filter(overBudget);
  if (resolved.enforceSizeLimit && tooLarge.length > 0) throw new BundleTooLargeError(tooLarge);
  return bundles;
}

function formatKiB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function parseArgs(argv: readonly string[]): BuildLambdaOptions {
  const names: LambdaHandlerName[] = [];
  let outDir: string | undefined;
  let metaDir: string | undefined;
  let externalAwsSdk = false;
  const handlerModules: string[] = [];
  let codeCache = true;
  let codeCacheNode: string | undefined;
  const codeCacheNodeArgs: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    if (arg === '--external-aws-sdk') externalAwsSdk = true;
    else if (arg === '--no-code-cache') codeCache = false;
    else if (arg === '--code-cache-node') codeCacheNode = resolve(argv[++index] ?? '');
    else if (arg === '--code-cache-node-arg') codeCacheNodeArgs.push(argv[++index] ?? '');
    else if (arg === '--out-dir') outDir = resolve(argv[++index] ?? '');
    else if (arg === '--meta-dir') metaDir = resolve(argv[++index] ?? '');
    else if (arg === '--handlers')
      handlerModules.push(
        ...(argv[++index] ?? '')
          .split(',')
          .map((path) => path.trim())
          .filter((path) => path !== ''),
      );
    else if (isLambdaHandlerName(arg)) names.push(arg);
    else throw new Error(`unknown argument "${arg}"; handlers: ${LAMBDA_HANDLER_NAMES.join(', ')}`);
  }
  return {
    ...(names.length > 0 ? { names } : {}),
    ...(outDir ? { outDir } : {}),
    ...(metaDir ? { metaDir } : {}),
    externalAwsSdk,
    ...(handlerModules.length > 0 ? { handlerModules } : {}),
    codeCache,
    ...(codeCacheNode ? { codeCacheNode } : {}),
    codeCacheNodeArgs,
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const bundles = await buildLambdas({ ...options, enforceSizeLimit: false });
  for (const bundle of bundles) {
    const flag = overBudget(bundle) ? '  OVER BUDGET' : '';
    const cache = bundle.codeCacheBytes > 0 ? ` (+ code cache ${formatKiB(bundle.codeCacheBytes)})` : '';
    console.log(`${bundle.name.padEnd(14)} ${formatKiB(bundle.bytes).padStart(11)}  ${relative(PROJECT_ROOT, bundle.file)}${cache}${flag}`);
  }
  console.log(`built ${bundles.length} bundle(s) in ${Math.round(performance.now() - started)} ms`);
  const tooLarge = bundles.filter(overBudget);
  if (tooLarge.length > 0) throw new BundleTooLargeError(tooLarge);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
