// Copied by scripts/build-lambda.ts into every function as `loader.mjs` (with `index.mjs`, which
// calls it). It runs the function's esbuild bundle (`bundle.js`, a CommonJS function expression)
// through `node:vm` with the V8 code cache made at build time (`bundle.cache`), so a cold start
// neither parses nor compiles the functions that init runs. V8 checks the cache against its
// version, flags and the source, and compiles from source when it does not match (never wrong,
// only slower): `codeCacheStatus` says which happened.
//
// Node does not apply --enable-source-maps to code run by `node:vm`; when it is on, stack frames in
// the bundle are mapped here instead, reading `bundle.js.map` only when a stack is first formatted.
import { readFileSync } from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import { join } from 'node:path';
import { constants, Script } from 'node:vm';

export const BUNDLE_FILE = 'bundle.js';
export const CODE_CACHE_FILE = 'bundle.cache';

/**
 * Compiles `<dir>/bundle.js`, with `<dir>/bundle.cache` unless `useCodeCache` is false.
 * `codeCacheStatus`: 'accepted' (compiled from the cache), 'rejected' (V8 compiled from source: the
 * cache was made by another Node/V8 version or with other V8 flags) or 'absent'.
 */
export function compileBundle(dir, useCodeCache = true) {
  const file = join(dir, BUNDLE_FILE);
  let cachedData;
  if (useCodeCache) {
    try {
      cachedData = readFileSync(join(dir, CODE_CACHE_FILE));
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(readFileSync(file, 'utf8'), {
    filename: file,
    cachedData,
    // The SDK and Powertools load some built-ins on first use (`await import('node:http')`): Node's own
    // loader resolves them (Node >= 20.12 / 21.7; a callback would need --experimental-vm-modules).
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const codeCacheStatus = cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
  return { dir, file, script, codeCacheStatus };
}

/** Runs a compiled bundle (the function's init) and returns its exports (`handler`). */
export function runBundle({ dir, file, script }) {
  if (process.sourceMapsEnabled) mapStackFrames(file, `${file}.map`);
  const module = { exports: {} };
  script.runInThisContext()(module.exports, builtinRequire(file), module, file, dir);
  return module.exports;
}

/**
 * The deployed bundle requires only Node built-ins (every dependency is bundled; a test checks it).
 * `process.getBuiltinModule` (Node >= 20.16) returns them without starting the CommonJS loader, which
 * is started only for anything else (a bundle built with the SDK left to the runtime).
 */
function builtinRequire(file) {
  if (typeof process.getBuiltinModule !== 'function') return createRequire(file);
  let packageRequire;
  return (id) => process.getBuiltinModule(id) ?? (packageRequire ??= createRequire(file))(id);
}

/** Maps the frames of `file` through its source map in every formatted stack (the map is read on first use). */
function mapStackFrames(file, mapFile) {
  let map;
  const sourceMap = () => {
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
      } catch {
        map = null;
      }
    }
    return map;
  };
  const frameText = (frame) => {
    if (frame.getFileName() !== file) return String(frame);
    const entry = sourceMap()?.findEntry((frame.getLineNumber() ?? 1) - 1, (frame.getColumnNumber() ?? 1) - 1);
    if (!entry?.originalSource) return String(frame);
    const position = `${entry.originalSource.replace(/^(\.\.\/)+/, '')}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    const name = frame.getFunctionName();
    return name ? `${name} (${position})` : position;
  };
  Error.prepareStackTrace = (error, frames) => {
    const header = error instanceof Error ? Error.prototype.toString.call(error) : String(error);
    return [header, ...frames.map((frame) => `    at ${frameText(frame)}`)].join('\n');
  };
}
