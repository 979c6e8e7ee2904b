import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLambdas, type LambdaBundle } from '../../../../scripts/build-lambda.js';

export interface LambdaBuild {
  /** Where `<name>/index.mjs` are (a temporary directory outside the repository: no node_modules to fall back on). */
  readonly outDir: string;
  readonly metaDir: string;
  readonly bundles: readonly LambdaBundle[];
}

const KEY = Symbol.for('hermes.test.lambdaBuild');
type Holder = typeof globalThis & { [KEY]?: Promise<LambdaBuild> };

/** The Lambda bundles, built once per test run by the real build script and removed when the run ends. */
export function lambdaBuild(): Promise<LambdaBuild> {
  const holder = globalThis as Holder;
  holder[KEY] ??= (async () => {
    const root = mkdtempSync(join(tmpdir(), 'hermes-lambda-'));
    process.once('exit', () => rmSync(root, { recursive: true, force: true }));
    const outDir = join(root, 'lambda');
    const metaDir = join(root, 'meta');
    const bundles = await buildLambdas({ outDir, metaDir, enforceSizeLimit: false });
    return { outDir, metaDir, bundles };
  })();
  return holder[KEY];
}
