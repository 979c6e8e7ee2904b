import { randomUUID } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { Logger } from '../../../application/shared/ports/Logger.js';
import { errorMessage } from '../../../domain/shared/HermesError.js';
import { PACKAGE_ROOT } from './cloudFormation.js';
import type { TemplateFunction, WebSocketApiDefinition } from './webSocketApi.js';

/** A Lambda handler as the gateway calls it (callback-style handlers are wrapped into this). */
export type LambdaFunction = (event: unknown, context?: Context) => Promise<unknown>;

/** hermes' own functions, hosted in process on the gateway's composition (their entry file's name → handler). */
export type InProcessFunctions = Readonly<Record<string, LambdaFunction>>;

/** Where hermes' own Lambda entry points are: a template function naming one is hosted in process. */
const OWN_ENTRY_DIR = join(PACKAGE_ROOT, 'src', 'entrypoints', 'lambda');

type ModuleNamespace = Record<string, unknown>;

interface TsxApi {
  tsImport(specifier: string, options: { parentURL: string; onImport?: (url: string) => void }): Promise<ModuleNamespace>;
}

/**
 * Imports a module in a fresh module graph each time (so a reload sees changed files): through tsx's
 * `tsImport` when tsx is installed (TypeScript entry points, no build step), else Node's own `import()`
 * with a cache-busting query (JavaScript only; a reload then re-reads the entry file alone).
 */
export async function importFresh(path: string, generation: number, imported: Set<string>): Promise<ModuleNamespace> {
  let tsx: TsxApi | undefined;
  try {
    // tsx is a devDependency: present in a development checkout, absent from a production install.
    tsx = await import('tsx/esm/api');
  } catch {
    tsx = undefined;
  }
  const url = pathToFileURL(path).href;
  if (tsx) {
    return tsx.tsImport(url, {
      parentURL: import.meta.url,
      onImport: (file) => {
        if (file.startsWith('file:') && !file.includes('/node_modules/')) imported.add(new URL(file).pathname);
      },
    });
  }
  if (/\.[cm]?ts$/.test(path)) throw new Error(`${path}: loading TypeScript handlers needs tsx (npm install tsx)`);
  imported.add(path);
  return (await import(`${url}?generation=${generation}`)) as ModuleNamespace;
}

/** What Lambda hands a handler besides the event. */
function lambdaContext(fn: TemplateFunction, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  const unsupported = (): never => {
    throw new Error('context.done/fail/succeed are not supported; return a value or a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.logicalId,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${fn.logicalId}`,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.logicalId}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

type AnyHandler = (event: unknown, context: Context, callback?: (error: unknown, result?: unknown) => void) => unknown;

/** Calls a Lambda handler as the Node.js runtime does: async (a promise) or with a callback (three parameters). */
function asLambdaFunction(handler: AnyHandler, fn: TemplateFunction, timeoutMs: number): LambdaFunction {
  return (event) => {
    const context = lambdaContext(fn, timeoutMs);
    if (handler.length >= 3) {
      return new Promise((resolvePromise, reject) => {
        const returned = handler(event, context, (error, result) =>
          error ? reject(error instanceof Error ? error : new Error(JSON.stringify(error))) : resolvePromise(result),
        );
        if (returned instanceof Promise) returned.then(resolvePromise, reject);
      });
    }
    return Promise.resolve(handler(event, context));
  };
}

export interface HostedFunctionsOptions {
  readonly definition: WebSocketApiDefinition;
  /** hermes' own handlers by entry name (`connect`, `sendMessage`, ...), composed by the gateway. */
  readonly inProcess: () => Promise<InProcessFunctions> | InProcessFunctions;
  readonly logger: Logger;
  /** The longest a handler may run (its `getRemainingTimeInMillis`). */
  readonly timeoutMs: number;
}

/**
 * The functions of a template's WebSocket API, loaded: hermes' own entry points
 * (`src/entrypoints/lambda/<name>.ts`) run in process on the gateway's composition (they share its
 * in-memory stores and test doubles); any other entry point is imported as a module, with the
 * function's template environment set (variables already set in the gateway's environment win).
 * `reload()` replaces the handlers; callers look them up per invocation, so open connections stay.
 */
export class HostedFunctions {
  private handlers = new Map<string, LambdaFunction>();
  private files = new Set<string>();
  private generation = 0;

  constructor(private readonly options: HostedFunctionsOptions) {}

  /** The current handler of a function. */
  handler(logicalId: string): LambdaFunction {
    const handler = this.handlers.get(logicalId);
    if (!handler) throw new Error(`function ${logicalId} is not loaded`);
    return handler;
  }

  /** Replaces one function's handler until the next reload: a seam for tests. */
  override(logicalId: string, handler: LambdaFunction): void {
    this.handler(logicalId);
    this.handlers.set(logicalId, handler);
  }

  /** Source files the loaded handlers were read from (what `--watch` watches). */
  get sourceFiles(): ReadonlySet<string> {
    return this.files;
  }

  /** Loads every function (again). */
  async reload(): Promise<void> {
    this.generation += 1;
    const own = await this.options.inProcess();
    const handlers = new Map<string, LambdaFunction>();
    const files = new Set<string>();
    for (const fn of this.options.definition.functions.values()) {
      const ownName = Object.keys(own).find((name) => resolve(OWN_ENTRY_DIR, `${name}.ts`) === fn.entryPoint);
      if (ownName !== undefined) {
        handlers.set(fn.logicalId, own[ownName] as LambdaFunction);
        files.add(fn.entryPoint);
        continue;
      }
      if (fn.entryPoint.startsWith(OWN_ENTRY_DIR)) {
        // Imported as a module, it composes its own adapters from process.env: not the gateway's in-memory stores.
        this.options.logger.warn('hermes function not in hostedHandlers; imported as a module', {
          function: fn.logicalId,
          entryPoint: fn.entryPoint,
        });
      } else {
        // A foreign function reads its template environment (hermes' own would say HERMES_PROFILE=aws: never applied).
        for (const [key, value] of Object.entries(fn.environment)) process.env[key] ??= value;
      }
      const namespace = await importFresh(fn.entryPoint, this.generation, files);
      const exported = namespace[fn.exportName] ?? (namespace['default'] as ModuleNamespace | undefined)?.[fn.exportName];
      if (typeof exported !== 'function') throw new Error(`${fn.logicalId}: ${fn.entryPoint} exports no function "${fn.exportName}"`);
      handlers.set(fn.logicalId, asLambdaFunction(exported as AnyHandler, fn, this.options.timeoutMs));
    }
    this.handlers = handlers;
    this.files = files;
  }

  /**
   * Reloads the handlers when one of their source files changes (`--watch`); connections stay open.
   * hermes' own handlers are watched through their directory, `src/entrypoints/lambda`.
   */
  watch(onReload: (error?: unknown) => void = () => undefined): () => void {
    let watchers: FSWatcher[] = [];
    let timer: NodeJS.Timeout | undefined;
    const rewatch = (): void => {
      for (const watcher of watchers) watcher.close();
      const targets = new Set([...this.files].filter((file) => !file.startsWith(OWN_ENTRY_DIR)));
      if ([...this.files].some((file) => file.startsWith(OWN_ENTRY_DIR))) targets.add(OWN_ENTRY_DIR);
      watchers = [...targets].map((target) =>
        watch(target, { recursive: target === OWN_ENTRY_DIR, persistent: false }, () => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            this.reload().then(
              () => {
                this.options.logger.info('handlers reloaded', { files: this.files.size });
                rewatch();
                onReload();
              },
              (error: unknown) => {
                this.options.logger.error('handler reload failed; the previous handlers stay', { error: errorMessage(error) });
                onReload(error);
              },
            );
          }, 100);
        }),
      );
    };
    rewatch();
    return () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    };
  }
}
