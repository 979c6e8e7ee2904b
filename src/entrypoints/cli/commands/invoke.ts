import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayAuthorizerResult, Context } from 'aws-lambda';
import { errorMessage, PermanentError } from '../../../domain/shared/HermesError.js';
import type { Command, CommandIo } from '../Command.js';
import { lambdaEnvironment, withEnvironment } from '../lambdaEnvironment.js';
import { validateLambdaEvent } from '../../lambda/shared/eventSchemas.js';
import { isLambdaHandlerName, LAMBDA_HANDLERS, LAMBDA_HANDLER_NAMES, type LambdaHandlerName } from '../../lambda/shared/lambdaHandlers.js';
import { parseOptions, required, UsageError } from './args.js';

export const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'] as const;
export type InvocationType = (typeof INVOCATION_TYPES)[number];

const DEFAULT_BUNDLE_DIR = fileURLToPath(new URL('../../../../dist/lambda/', import.meta.url));

const USAGE = `Usage: hermes invoke <handler> --event FILE [--invocation-type RequestResponse|Event|DryRun]
                     [--timeout SECONDS] [--bundle] [--bundle-dir DIR]

Runs one Lambda handler in this process, with the semantics of the Lambda Invoke API:
  RequestResponse  (default) runs it and prints its result as JSON; a function error is printed
                   as {"errorType","errorMessage"} and the exit code is 1
  Event            prints {"StatusCode":202} at once, then runs it; its result is discarded and a
                   function error goes to standard error (the invocation itself was accepted: exit 0)
  DryRun           checks that the handler exists and that the event has the shape it expects,
                   and runs nothing: {"StatusCode":204}, or the problems and exit code 1

Handlers: ${LAMBDA_HANDLER_NAMES.join(', ')}
Sample events for each are in events/ (events/<handler>.json); events/README.md says what each one
does. events/authorizer.json is denied on purpose (its token is a placeholder, long expired, and the
memory profile's grants live in the invoking process): events/README.md shows how to get an Allow.
An event that does not have the handler's shape is reported as DryRun reports it, with the
handler's own error.

Options:
  --event FILE               the event, JSON (required)
  --invocation-type TYPE     RequestResponse, Event or DryRun (default RequestResponse)
  --timeout SECONDS          the function timeout (default: as deployed, e.g. 29 for sendMessage);
                             past it the invocation fails with Sandbox.Timedout
  --bundle                   run the built bundle <bundle-dir>/<handler>/index.mjs (npm run build:lambda)
                             instead of the TypeScript sources
  --bundle-dir DIR           default dist/lambda of this checkout

As on Lambda, the handler builds its container from the environment when it is first loaded:
HERMES_PROFILE (memory by default; localstack and aws need their settings, see docs/deploy.md).
The runtime's own variables are set as Lambda sets them (AWS_LAMBDA_INITIALIZATION_TYPE=on-demand,
AWS_LAMBDA_FUNCTION_NAME, ...), so the log lines of the invocation say cold_start: true.`;

/** What a Lambda entry module exports. */
export type LambdaHandlerFunction = (event: unknown, context: Context) => unknown;

/** Loads a handler: from the sources (default) or from a built bundle. */
export type HandlerLoader = (name: LambdaHandlerName, bundle: string | undefined) => Promise<LambdaHandlerFunction>;

/** A function error, as Lambda reports it in the response payload. */
export interface FunctionError {
  readonly errorType: string;
  readonly errorMessage: string;
}

/** The function ran past its timeout; Lambda reports it with the error type `Sandbox.Timedout`. */
class FunctionTimeoutError extends PermanentError {
  readonly code = 'SANDBOX_TIMEDOUT';
  /** The type Lambda gives this error in the response payload. */
  readonly errorType = 'Sandbox.Timedout';

  constructor(seconds: number) {
    super(`Task timed out after ${seconds.toFixed(2)} seconds`);
  }
}

const importHandler: HandlerLoader = async (name, bundle) => {
  const url = bundle ? pathToFileURL(bundle).href : new URL(`../../lambda/${name}.js`, import.meta.url).href;
  const module = (await import(url)) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${bundle ?? name} exports no handler function`);
  return module.handler as LambdaHandlerFunction;
};

/**
 * A function error as Lambda reports it. When the event did not have the handler's shape (`mismatch`),
 * that is said first: it is why a handler fails with a bare `TypeError`.
 */
function functionError(error: unknown, mismatch: string | undefined): FunctionError {
  const errorType = error instanceof FunctionTimeoutError ? error.errorType : error instanceof Error ? error.name || 'Error' : typeof error;
  const message = errorMessage(error);
  if (mismatch === undefined) return { errorType, errorMessage: message };
  return { errorType, errorMessage: `${mismatch} (the handler failed on it with ${errorType}: ${message})` };
}

/** What DryRun says of an event of the wrong shape, or undefined when the shape is right. */
function eventMismatch(name: LambdaHandlerName, event: unknown): string | undefined {
  const validation = validateLambdaEvent(name, event);
  const article = /^[aeiou]/i.test(name) ? 'an' : 'a';
  return validation.valid ? undefined : `the event is not ${article} ${name} event: ${validation.problems.join('; ')}`;
}

function isDeny(result: unknown): boolean {
  const statements = (result as Partial<APIGatewayAuthorizerResult> | null)?.policyDocument?.Statement;
  return Array.isArray(statements) && statements.some((statement) => statement.Effect === 'Deny');
}

/** A Lambda context for a local invocation: names as deployed, the remaining time from the timeout. */
function lambdaContext(name: LambdaHandlerName, timeoutMs: number, env: CommandIo['env']): Context {
  const deadline = Date.now() + timeoutMs;
  const region = env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const functionName = `hermes-${name}`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(LAMBDA_HANDLERS[name].memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${new Date().toISOString().slice(0, 10)}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Runs the handler within its timeout; resolves to its result or rejects with its error. */
async function runHandler(handler: LambdaHandlerFunction, event: unknown, context: Context, timeoutSeconds: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FunctionTimeoutError(timeoutSeconds)), timeoutSeconds * 1000);
  });
  try {
    return await Promise.race([Promise.resolve().then(() => handler(event, context)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * While a handler loads and runs, what it writes to the process' stdout (its logs: Lambda functions
 * log to stdout) goes to stderr, so that stdout carries only the response, as with \`sam local invoke\`.
 */
function logsToStderr(): () => void {
  const { stdout, stderr } = process;
  const write = Object.getOwnPropertyDescriptor(stdout, 'write');
  Object.defineProperty(stdout, 'write', { value: stderr.write.bind(stderr), configurable: true, writable: true });
  return () => {
    if (write !== undefined) Object.defineProperty(stdout, 'write', write);
    else Reflect.deleteProperty(stdout, 'write');
  };
}

/** Loads (Init) and runs (Invoke) the handler with its logs on stderr. */
async function invokeQuietly(
  load: () => Promise<LambdaHandlerFunction>,
  event: unknown,
  context: Context,
  timeoutSeconds: number,
): Promise<unknown> {
  const restore = logsToStderr();
  try {
    return await runHandler(await load(), event, context, timeoutSeconds);
  } finally {
    restore();
  }
}

interface Invocation {
  readonly name: LambdaHandlerName;
  readonly eventFile: string;
  readonly type: InvocationType;
  readonly timeoutSeconds: number;
  readonly bundle: string | undefined;
}

function parseInvocation(argv: readonly string[]): Invocation {
  const [name, ...rest] = argv;
  if (name === undefined || name.startsWith('-'))
    throw new UsageError(`the handler is required: one of ${LAMBDA_HANDLER_NAMES.join(', ')}`);
  if (!isLambdaHandlerName(name)) throw new UsageError(`unknown handler "${name}": one of ${LAMBDA_HANDLER_NAMES.join(', ')}`);
  const flags = parseOptions(rest, {
    event: { type: 'string' },
    'invocation-type': { type: 'string' },
    timeout: { type: 'string' },
    bundle: { type: 'boolean' },
    'bundle-dir': { type: 'string' },
  });
  const type = flags['invocation-type'] ?? 'RequestResponse';
  if (!(INVOCATION_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`--invocation-type must be one of ${INVOCATION_TYPES.join(', ')} (got "${type}")`);
  }
  const timeoutSeconds = flags.timeout === undefined ? LAMBDA_HANDLERS[name].timeoutSeconds : Number(flags.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 900) {
    throw new UsageError('--timeout must be a number of seconds between 0 and 900');
  }
  if (flags['bundle-dir'] !== undefined && !flags.bundle) throw new UsageError('--bundle-dir goes with --bundle');
  const bundle = flags.bundle ? resolve(flags['bundle-dir'] ?? DEFAULT_BUNDLE_DIR, name, 'index.mjs') : undefined;
  return { name, eventFile: required(flags.event, '--event'), type: type as InvocationType, timeoutSeconds, bundle };
}

async function readEvent(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the event ${file}: ${errorMessage(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`the event ${file} is not JSON`);
  }
}

/** `hermes invoke`; `loadHandler` is replaceable for tests. */
export function createInvokeCommand(loadHandler: HandlerLoader = importHandler): Command {
  return {
    name: 'invoke',
    summary: 'Run one Lambda handler locally with an event (Lambda Invoke API semantics)',
    usage: USAGE,
    async run(argv: readonly string[], io: CommandIo): Promise<number> {
      const invocation = parseInvocation(argv);
      const event = await readEvent(invocation.eventFile);
      const print = (write: (text: string) => void, payload: unknown): void => write(`${JSON.stringify(payload ?? null)}\n`);

      if (invocation.type === 'DryRun') {
        if (invocation.bundle && !existsSync(invocation.bundle)) {
          print(io.stderr, {
            errorType: 'ResourceNotFoundException',
            errorMessage: `no bundle ${invocation.bundle}: run npm run build:lambda`,
          });
          return 1;
        }
        const mismatch = eventMismatch(invocation.name, event);
        if (mismatch !== undefined) {
          print(io.stderr, { errorType: 'InvalidRequestContentException', errorMessage: mismatch });
          return 1;
        }
        print(io.stdout, { StatusCode: 204 });
        return 0;
      }

      const context = lambdaContext(invocation.name, invocation.timeoutSeconds * 1000, io.env);
      // Lambda passes any JSON to the function, so the handler still runs on an event of the wrong shape.
      const mismatch = eventMismatch(invocation.name, event);
      // Loading is the function's Init phase: its failures are function errors too.
      const invoke = (): Promise<unknown> =>
        withEnvironment(lambdaEnvironment(invocation.name), () =>
          invokeQuietly(() => loadHandler(invocation.name, invocation.bundle), event, context, invocation.timeoutSeconds),
        );
      const note = (result: unknown): void => {
        if (mismatch !== undefined) io.stderr(`hermes invoke: note: ${mismatch}\n`);
        if (invocation.name === 'authorizer' && isDeny(result)) {
          io.stderr(
            'hermes invoke: the authorizer denied the connection (its log line gives the reason); events/README.md says how to get an Allow\n',
          );
        }
      };
      if (invocation.type === 'Event') {
        print(io.stdout, { StatusCode: 202 });
        try {
          note(await invoke());
        } catch (error) {
          print(io.stderr, functionError(error, mismatch));
        }
        return 0;
      }
      try {
        const result = await invoke();
        print(io.stdout, result);
        note(result);
        return 0;
      } catch (error) {
        print(io.stdout, functionError(error, mismatch));
        return 1;
      }
    },
  };
}

export const invokeCommand: Command = createInvokeCommand();
