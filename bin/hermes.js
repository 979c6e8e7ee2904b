#!/usr/bin/env node
// The `hermes` command. The CLI is TypeScript, run through tsx, so it works from a fresh clone
// after `npm install` without a build step. Paths (tsconfig included: it enables the decorators
// inversify needs) are resolved from this file, never from the working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import(new URL('../src/entrypoints/cli/main.ts', import.meta.url).href);
await main();
