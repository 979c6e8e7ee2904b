// `node --import ./denyDevDependencies.mjs bin/hermes.js ...`: makes any import that resolves into a
// devDependency of package.json (tsx, esbuild, typescript...) or into a TypeScript file fail. build.test.ts runs
// the compiled CLI under it to show that dist/ needs production dependencies only.
import { register } from 'node:module';

register('./denyDevDependenciesHooks.mjs', import.meta.url);
