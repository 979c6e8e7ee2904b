#!/usr/bin/env node
// Writes the V8 code cache of one built Lambda function: compiles `<dir>/bundle.js`, runs its init
// (as a cold start does, so the functions init calls are compiled too and land in the cache), then
// saves `<dir>/bundle.cache`. Run by scripts/build-lambda.ts in a fresh process with the function's
// environment; the Node binary and its V8 flags must be the runtime's (V8 rejects a cache made by
// another version or with other flags, and the function then compiles from source).
//
//   node scripts/lib/write-code-cache.mjs dist/lambda/connect
//
// Prints one line `@@hermes-code-cache@@{json}`: {bytes, initError?}. An init that throws (a variable
// the build did not set) still leaves a cache of what was compiled until then.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const MARKER = '@@hermes-code-cache@@';
const dir = resolve(process.argv[2] ?? '.');
const { compileBundle, runBundle, CODE_CACHE_FILE } = await import(pathToFileURL(join(dir, 'loader.mjs')).href);
const compiled = compileBundle(dir, false);
let initError;
try {
  runBundle(compiled);
} catch (error) {
  initError = `${error?.name ?? 'Error'}: ${error?.message ?? String(error)}`;
}
const cache = compiled.script.createCachedData();
writeFileSync(join(dir, CODE_CACHE_FILE), cache);
process.stdout.write(`\n${MARKER}${JSON.stringify({ bytes: cache.length, ...(initError ? { initError } : {}) })}\n`);
// Nothing the init left running (an SDK socket, a timer) may keep the build waiting.
process.exit(0);
