// Module resolution hooks registered by denyDevDependencies.mjs (they run on Node's loader thread).
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
const DEV_DEPENDENCIES = Object.keys(manifest.devDependencies ?? {});

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const devDependency = DEV_DEPENDENCIES.find((name) => resolved.url.includes(`/node_modules/${name}/`));
  const typescript = resolved.url.startsWith('file:') && /\.[cm]?tsx?$/.test(new URL(resolved.url).pathname);
  if (devDependency !== undefined || typescript) {
    const what = devDependency !== undefined ? `devDependency ${devDependency}` : 'TypeScript source';
    throw new Error(`run-time import of a ${what}: ${resolved.url} (from ${context.parentURL ?? 'the command line'})`);
  }
  return resolved;
}
