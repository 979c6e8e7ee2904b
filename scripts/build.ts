// `npm run build [outDir]`: the CLI and the local gateway as JavaScript in dist/ (default), run by bin/hermes.js
// without tsx. tsc compiles src/ (tsconfig.build.json); files in src/ that are not TypeScript (the demo page) are
// copied beside the compiled modules; the browser modules the demo serves are bundled ahead of time, so the
// compiled gateway needs no esbuild. dist/lambda (`npm run build:lambda`) is left alone.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BROWSER_BUNDLE_OPTIONS, prebuiltBundleOf } from '../src/entrypoints/standalone/public/bundle.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const outDir = resolve(process.argv[2] ?? join(ROOT, 'dist'));

/** The browser entries src/entrypoints/standalone/http/routes/demo.ts serves (`/demo.js`, `/hermes-client.js`). */
const BROWSER_ENTRIES = ['entrypoints/standalone/public/demo.ts', 'entrypoints/client/HermesClient.ts'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

for (const layer of readdirSync(SRC)) rmSync(join(outDir, layer), { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], { stdio: 'inherit' });

for (const file of filesUnder(SRC).filter((path) => !path.endsWith('.ts'))) {
  const target = join(outDir, relative(SRC, file));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
}

for (const entry of BROWSER_ENTRIES) {
  const outfile = fileURLToPath(prebuiltBundleOf(pathToFileURL(join(outDir, entry))));
  await build({ ...BROWSER_BUNDLE_OPTIONS, entryPoints: [join(SRC, entry)], outfile, minify: true });
}

console.log(`built ${relative(process.cwd(), outDir) || '.'}: run it with node bin/hermes.js`);
