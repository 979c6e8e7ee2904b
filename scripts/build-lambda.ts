/**
 * Bundles every Lambda handler with esbuild into `dist/lambda/<name>/index.mjs` (+ source map) for the
 * `nodejs22.x` runtime, and writes esbuild's metafile to `dist/lambda-meta/<name>.json` (kept out of
 * the function's code directory so it is not deployed).
 *
 *   npm run build:lambda                 # all handlers
 *   npm run build:lambda -- connect queue
 *   npm run build:lambda -- --external-aws-sdk --out-dir /tmp/x   # the runtime's SDK instead (comparison only)
 *   npm run build:lambda -- --handlers examples/handlers/restartService.ts,examples/handlers/deleteVm.ts
 *                                        # handler modules (HERMES_ACTION_HANDLERS) bundled into action-runner
 *
 * The AWS SDK v3 is bundled, not left to the runtime: see docs/deploy.md ("Lambda bundles").
 */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { isLambdaHandlerName, LAMBDA_HANDLER_NAMES, type LambdaHandlerName } from '../src/entrypoints/lambda/shared/lambdaHandlers.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT_DIR = join(PROJECT_ROOT, 'dist', 'lambda');
export const DEFAULT_META_DIR = join(PROJECT_ROOT, 'dist', 'lambda-meta');
/** Budget of any bundle (index.mjs, minified). */
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
  default: MAX_BUNDLE_BYTES,
  queue: MAX_BUNDLE_BYTES,
  'action-runner': MAX_BUNDLE_BYTES,
};

/** True when `bundle` is over its budget. */
export function overBudget(bundle: { readonly name: LambdaHandlerName; readonly bytes: number }): boolean {
  return bundle.bytes > BUNDLE_BUDGETS[bundle.name];
}

/**
 * CommonJS dependencies bundled into ESM may call `require` for Node built-ins; ESM has no `require`,
 * so the bundle gets one. The alias keeps the banner from clashing with names inside the bundle.
 */
const CJS_REQUIRE_BANNER =
  "import { createRequire as __hermesCreateRequire } from 'node:module'; const require = __hermesCreateRequire(import.meta.url);";

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
}

export interface LambdaBundle {
  readonly name: LambdaHandlerName;
  /** Absolute path of `index.mjs`. */
  readonly file: string;
  readonly bytes: number;
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

/**
 * Lambda-only stand-ins, each explained in its file: environment-only AWS credentials
 * (scripts/lib/lambdaCredentialProvider.ts) and jsonwebtoken's Node version check (scripts/lib/lambdaSemver.ts).
 */
const lambdaStandIns = (externalAwsSdk: boolean): Plugin => ({
  name: 'hermes-lambda-stand-ins',
  setup(pluginBuild) {
    if (!externalAwsSdk) {
      pluginBuild.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path: LAMBDA_CREDENTIAL_PROVIDER }));
    }
    pluginBuild.onResolve({ filter: /^semver$/ }, () => ({ path: LAMBDA_SEMVER }));
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

/**
 * The virtual entry of one handler: the metadata polyfill is evaluated before any decorated class.
 * `reflect-metadata/lite` is the variant inversify itself imports, so the bundle holds one, not two.
 */
function entryContents(name: LambdaHandlerName): string {
  return `import 'reflect-metadata/lite';\nexport { handler } from './src/entrypoints/lambda/${name}.js';\n`;
}

async function buildOne(name: LambdaHandlerName, options: Required<Omit<BuildLambdaOptions, 'names'>>): Promise<LambdaBundle> {
  const functionDir = join(options.outDir, name);
  const outfile = join(functionDir, 'index.mjs');
  await rm(functionDir, { recursive: true, force: true });
  const result = await build({
    stdin: {
      contents: entryContents(name),
      resolveDir: PROJECT_ROOT,
      sourcefile: `lambda-entry/${name}.ts`,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // Prefer the ES module builds of dependencies (the AWS SDK ships both): they tree-shake.
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: 'linked',
    // Stack traces need only names and positions; the sources are in the repository.
    sourcesContent: false,
    legalComments: 'none',
    metafile: true,
    banner: { js: CJS_REQUIRE_BANNER },
    external: options.externalAwsSdk ? ['@aws-sdk/*'] : [],
    // Handler modules import `hermes/runner`: in a bundle, its source (the package's entry picks dist or src at run time).
    alias: { 'hermes/runner': join(PROJECT_ROOT, 'src', 'runner.ts') },
    plugins: [
      lambdaStandIns(options.externalAwsSdk),
      ...(name === 'action-runner' && options.handlerModules.length > 0 ? [bundledHandlerModules(options.handlerModules)] : []),
    ],
    logLevel: 'warning',
  });
  // Marks the directory as a package so `sam build` (npm builder) copies the prebuilt bundle as is.
  await writeFile(join(functionDir, 'package.json'), `${JSON.stringify(functionPackage(name), null, 2)}\n`);
  await mkdir(options.metaDir, { recursive: true });
  const metafile = join(options.metaDir, `${name}.json`);
  await writeFile(metafile, JSON.stringify(result.metafile));
  const { size } = await stat(outfile);
  return { name, file: outfile, bytes: size, metafile };
}

/** Builds the handlers (in parallel) and returns their sizes; rejects with {@link BundleTooLargeError} over budget. */
export async function buildLambdas(options: BuildLambdaOptions = {}): Promise<LambdaBundle[]> {
  const resolved = {
    outDir: options.outDir ?? DEFAULT_OUT_DIR,
    metaDir: options.metaDir ?? DEFAULT_META_DIR,
    externalAwsSdk: options.externalAwsSdk ?? false,
    enforceSizeLimit: options.enforceSizeLimit ?? true,
    handlerModules: options.handlerModules ?? [],
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
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    if (arg === '--external-aws-sdk') externalAwsSdk = true;
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
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const bundles = await buildLambdas({ ...options, enforceSizeLimit: false });
  for (const bundle of bundles) {
    const flag = overBudget(bundle) ? '  OVER BUDGET' : '';
    console.log(`${bundle.name.padEnd(14)} ${formatKiB(bundle.bytes).padStart(11)}  ${relative(PROJECT_ROOT, bundle.file)}${flag}`);
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
