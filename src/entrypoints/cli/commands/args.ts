import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PermanentError } from '../../../domain/shared/HermesError.js';

/** A command-line mistake: the command prints it with a hint and exits with 2. */
export class UsageError extends PermanentError {
  readonly code = 'USAGE_INVALID';

  constructor(message: string) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict `--name value` parsing (node:util); unknown options and stray arguments are usage errors. */
export function parseOptions<O extends Options>(argv: readonly string[], options: O): ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: false; args: string[] }>>['values'] {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error));
  }
}

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/** A required option, or a usage error naming it. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required`);
  return value;
}
