import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/** How a browser module is bundled: on first use in development, ahead of time by `npm run build`. */
export const BROWSER_BUNDLE_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  logLevel: 'silent',
} as const satisfies BuildOptions;

/** Where `npm run build` writes the bundle of a browser entry: beside it, `x.ts` → `x.browser.js`. */
export function prebuiltBundleOf(entry: URL): URL {
  return new URL(entry.href.replace(/\.ts$/, '.browser.js'));
}

async function buildBundle(entry: URL): Promise<string> {
  try {
    return await readFile(prebuiltBundleOf(entry), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // esbuild is a devDependency: only a run from source (no prebuilt bundle) loads it.
  const { build } = await import('esbuild');
  const result = await build({ ...BROWSER_BUNDLE_OPTIONS, entryPoints: [fileURLToPath(entry)], write: false });
  return result.outputFiles[0]?.text ?? '';
}

const bundles = new Map<string, Promise<string>>();

/** A TypeScript module and its imports as one browser ES module, built (or read, once built) once per process. */
export function bundleBrowserModule(entry: URL): Promise<string> {
  const key = entry.href;
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = buildBundle(entry);
    bundles.set(key, bundle);
    bundle.catch(() => bundles.delete(key));
  }
  return bundle;
}
