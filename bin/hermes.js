#!/usr/bin/env node
// The `hermes` command. The CLI is TypeScript, run through tsx, so it works from a fresh clone
// after `npm install` without a build step. Paths (tsconfig included: it enables the decorators
// inversify needs) are resolved from this file, never from the working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// Node 20 is supported here (engines); the AWS SDK's notice that its 2027 releases need Node 22 would
// otherwise open the output of every command. Its documented switch, for this process only (Lambda
// runs nodejs22.x and never sees it): https://github.com/aws/aws-sdk-js-v3/issues/7983
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import(new URL('../src/entrypoints/cli/main.ts', import.meta.url).href);
await main();
