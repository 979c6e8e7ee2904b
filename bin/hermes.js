#!/usr/bin/env node
// The `hermes` command. After `npm run build` it runs the compiled CLI in dist/; without a build (a fresh
// clone, development) or with HERMES_FROM_SOURCE=1 it runs the TypeScript in src/ through tsx, with the
// tsconfig that enables the decorators inversify needs. Paths are resolved from this file, never from the
// working directory.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Node 20 is supported here (engines); the AWS SDK's notice that its 2027 releases need Node 22 would
// otherwise open the output of every command. Its documented switch, for this process only (Lambda
// runs nodejs22.x and never sees it): https://github.com/aws/aws-sdk-js-v3/issues/7983
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let cli = new URL('../dist/entrypoints/cli/main.js', import.meta.url);
if (process.env.HERMES_FROM_SOURCE === '1' || !existsSync(cli)) {
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
  cli = new URL('../src/entrypoints/cli/main.ts', import.meta.url);
}
const { main } = await import(cli.href);
await main();
