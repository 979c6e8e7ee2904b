#!/usr/bin/env node
// Loads one Lambda bundle in this (fresh) Node process, as the Lambda runtime would, and optionally
// invokes its handler with an event. Used by the bundle smoke tests and `npm run bench:lambda`.
//
//   node scripts/lib/invoke-bundle.mjs dist/lambda/connect/index.mjs [events/connect.json]
//
// Prints one line `@@hermes-invoke@@{json}`: {initMs, initCpuMs, reflectMetadata, codeCacheStatus, ok, result | errorType, errorMessage}.
// initMs is the module's initialisation (import) time, what Lambda bills as the Init phase of the code;
// codeCacheStatus is what the function's loader reports (whether V8 used the shipped code cache).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const MARKER = '@@hermes-invoke@@';
const [bundleArg, eventArg] = process.argv.slice(2);
if (!bundleArg) {
  process.stderr.write('usage: invoke-bundle.mjs BUNDLE [EVENT_FILE]\n');
  process.exit(2);
}
const bundle = resolve(bundleArg);

function report(payload) {
  process.stdout.write(`\n${MARKER}${JSON.stringify(payload)}\n`);
}

function context(name) {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: `hermes-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:hermes-${name}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/hermes-${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const started = performance.now();
const startedCpu = process.cpuUsage();
let module;
try {
  module = await import(pathToFileURL(bundle).href);
} catch (error) {
  report({ ok: false, phase: 'init', errorType: error?.name ?? 'Error', errorMessage: error?.message ?? String(error) });
  process.exit(1);
}
const initMs = performance.now() - started;
const spentCpu = process.cpuUsage(startedCpu);
// CPU time of the whole process (V8's compiler and GC threads included): less inflated than initMs on a busy machine.
const initCpuMs = (spentCpu.user + spentCpu.system) / 1000;
const reflectMetadata = typeof Reflect.getMetadata === 'function';
const codeCacheStatus = module.codeCacheStatus;
if (typeof module.handler !== 'function') {
  report({ ok: false, phase: 'init', initMs, errorType: 'Runtime.HandlerNotFound', errorMessage: `${bundle} exports no handler` });
  process.exit(1);
}
if (!eventArg) {
  report({ ok: true, initMs, initCpuMs, reflectMetadata, codeCacheStatus });
  process.exit(0);
}
const event = JSON.parse(readFileSync(eventArg, 'utf8'));
try {
  const result = await module.handler(event, context(basename(dirname(bundle))));
  report({ ok: true, initMs, initCpuMs, reflectMetadata, codeCacheStatus, result: result ?? null });
} catch (error) {
  report({
    ok: false,
    phase: 'invoke',
    initMs,
    codeCacheStatus,
    errorType: error?.name ?? 'Error',
    errorMessage: error?.message ?? String(error),
  });
}
// Like Lambda freezing the environment: nothing left running (an SDK socket, a timer) keeps it alive.
process.exit(0);
