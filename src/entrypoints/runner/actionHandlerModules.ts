import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ActionHandler } from '../../application/runs/ActionHandler.js';
import { errorMessage } from '../../domain/shared/HermesError.js';
import { ConfigurationError } from '../config/ConfigurationError.js';

/** A handler and the module it came from (named in errors). */
export interface SourcedHandler {
  readonly handler: ActionHandler;
  /** The module's path as configured (relative to the working directory), or `built-in`. */
  readonly source: string;
}

/** A module's exports, as `import()` gives them. */
export type ModuleExports = Readonly<Record<string, unknown>>;

const VARIABLE = 'HERMES_ACTION_HANDLERS';

/** Why `value` is not a handler, or undefined when it is one (duck-typed: modules may import another copy of `hermes/runner`). */
function handlerProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'is not an object';
  const candidate = value as Record<string, unknown>;
  if (typeof candidate['action'] !== 'string' || candidate['action'].trim() === '') return 'has no action identifier (action: string)';
  if (typeof candidate['handle'] !== 'function') return `(${candidate['action']}) has no handle(run, ctx) function`;
  const operations = candidate['operations'];
  if (operations !== undefined && (!Array.isArray(operations) || operations.some((op) => typeof op !== 'string'))) {
    return `(${candidate['action']}) operations must be an array of strings such as ["DAY-2"]`;
  }
  return undefined;
}

/**
 * The handlers a module exports: its default export, one handler or an array of them. A module that
 * exports nothing valid is a problem naming the file and why.
 */
export function handlersOfModule(source: string, exports: ModuleExports, problems: string[]): ActionHandler[] {
  const exported = exports['default'];
  if (exported === undefined) {
    problems.push(`${VARIABLE}: ${source} has no default export (export default defineActionHandler({...}), or an array of them)`);
    return [];
  }
  const list = Array.isArray(exported) ? (exported as unknown[]) : [exported];
  if (list.length === 0) problems.push(`${VARIABLE}: ${source} exports an empty array of handlers`);
  const handlers: ActionHandler[] = [];
  for (const [index, value] of list.entries()) {
    const problem = handlerProblem(value);
    if (problem === undefined) handlers.push(value as ActionHandler);
    else problems.push(`${VARIABLE}: ${source}: ${Array.isArray(exported) ? `handler ${index}` : 'the default export'} ${problem}`);
  }
  return handlers;
}

/** Every handler once per action identifier; a second claim is a problem naming both modules. */
export function checkedHandlers(sourced: readonly SourcedHandler[], problems: string[]): SourcedHandler[] {
  const byAction = new Map<string, SourcedHandler>();
  for (const entry of sourced) {
    const earlier = byAction.get(entry.handler.action);
    if (earlier !== undefined) {
      problems.push(`${VARIABLE}: action ${entry.handler.action} is claimed by both ${earlier.source} and ${entry.source}`);
    } else {
      byAction.set(entry.handler.action, entry);
    }
  }
  return [...byAction.values()];
}

/** The handlers of modules already imported (the Lambda bundle's, `npm run build:lambda -- --handlers`). */
export function handlersFromModules(
  modules: ReadonlyArray<{ readonly source: string; readonly exports: ModuleExports }>,
  builtIn: readonly string[],
): SourcedHandler[] {
  const problems: string[] = [];
  const builtInEntries = builtIn.map((action) => ({ source: `the built-in ${action} handler`, handler: { action } as ActionHandler }));
  const moduleEntries = modules.flatMap(({ source, exports }) =>
    handlersOfModule(source, exports, problems).map((handler) => ({ handler, source })),
  );
  const checked = checkedHandlers([...builtInEntries, ...moduleEntries], problems);
  if (problems.length > 0) throw new ConfigurationError(problems);
  return checked.filter((entry) => !builtInEntries.includes(entry));
}

/**
 * Imports the modules of `HERMES_ACTION_HANDLERS` (paths relative to `cwd`; JS, or TS when hermes
 * runs through tsx) and returns their handlers. Every module that fails to load or exports nothing
 * valid, and every action claimed twice (by two modules, or a module and a built-in handler), is
 * listed in one ConfigurationError naming the files.
 */
export async function loadActionHandlerModules(
  paths: readonly string[],
  builtIn: readonly string[],
  cwd = process.cwd(),
): Promise<SourcedHandler[]> {
  const problems: string[] = [];
  const modules: Array<{ source: string; exports: ModuleExports }> = [];
  for (const path of paths) {
    const absolute = isAbsolute(path) ? path : resolve(cwd, path);
    const source = isAbsolute(path) ? path : relative(cwd, absolute) || path;
    try {
      modules.push({ source, exports: (await import(pathToFileURL(absolute).href)) as ModuleExports });
    } catch (error) {
      const reason = firstLine(errorMessage(error));
      // The compiled hermes (dist/) runs on plain Node, which cannot import TypeScript.
      const hint =
        /\.[cm]?ts$/.test(absolute) && reason.includes('Unknown file extension')
          ? ' (this hermes runs compiled: compile the module to JavaScript, or run hermes from source with HERMES_FROM_SOURCE=1 and tsx installed)'
          : '';
      problems.push(`${VARIABLE}: ${source} could not be loaded: ${reason}${hint}`);
    }
  }
  try {
    const handlers = handlersFromModules(modules, builtIn);
    if (problems.length > 0) throw new ConfigurationError(problems);
    return handlers;
  } catch (error) {
    if (error instanceof ConfigurationError) throw new ConfigurationError([...problems, ...error.problems]);
    throw error;
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
