import { ActionRun } from '../../domain/runs/ActionRun.js';
import { SecretInputUndecryptableError } from '../../domain/runs/SecretInputUndecryptableError.js';
import { SecretRedactedError, SecretRedactedTransientError } from '../../domain/runs/SecretRedactedError.js';
import { errorMessage, HermesError, isRetryable, retryAfterMsOf } from '../../domain/shared/HermesError.js';
import { isJsonObject, type JsonValue } from '../../domain/shared/Json.js';
import type { ActionHandler, ActionHandlerContext, ActionHandlerResult } from './ActionHandler.js';
import type { SecretInputDecryptor } from './ports/SecretInputDecryptor.js';

const MASK = '********';

type Inputs = Readonly<Record<string, JsonValue>>;

function valueAt(inputs: Inputs, path: readonly string[]): JsonValue | undefined {
  let value: JsonValue | undefined = inputs;
  for (const key of path) value = isJsonObject(value) ? value[key] : undefined;
  return value;
}

function withValueAt(inputs: Inputs, path: readonly string[], replacement: JsonValue): Record<string, JsonValue> {
  const [key, ...rest] = path as [string, ...string[]];
  const current = inputs[key];
  const nested = rest.length === 0 ? replacement : withValueAt(isJsonObject(current) ? current : {}, rest, replacement);
  return { ...inputs, [key]: nested };
}

function masked(text: string, secrets: readonly string[]): string {
  return secrets.reduce((result, secret) => result.split(secret).join(MASK), text);
}

/**
 * The secret inputs of a run: those Port marks as encrypted (`censoredProperties` /
 * `encryptedProperties`) and the paths of `PORT_DECRYPT_FIELDS`. `guard` wraps a handler so that it
 * sees them decrypted while nothing it emits (log lines, summary, label, links, error messages)
 * carries a decrypted value: each is masked. An input that does not decrypt fails the run with
 * "secret input <name> could not be decrypted".
 */
export class SecretInputs {
  private readonly fields: readonly (readonly string[])[];

  constructor(
    private readonly decryptor: SecretInputDecryptor,
    decryptFields: readonly string[] = [],
  ) {
    this.fields = decryptFields.map((field) => field.split('.'));
  }

  /** The handler itself when the run has no secret input, else one that reveals them to it alone. */
  guard(run: ActionRun, handler: ActionHandler): ActionHandler {
    const paths = this.pathsOf(run);
    if (paths.length === 0) return handler;
    return {
      action: handler.action,
      ...(handler.operations !== undefined && { operations: handler.operations }),
      handle: async (guarded, context) => {
        const { revealed, secrets } = await this.reveal(guarded, paths);
        return this.handleMasked(handler, revealed, context, secrets);
      },
    };
  }

  private pathsOf(run: ActionRun): (readonly string[])[] {
    const paths = new Map<string, readonly string[]>();
    for (const name of run.encryptedInputs) paths.set(name, [name]);
    for (const path of this.fields) paths.set(path.join('.'), path);
    return [...paths.values()].filter((path) => valueAt(run.inputs, path) !== undefined);
  }

  private async reveal(run: ActionRun, paths: readonly (readonly string[])[]): Promise<{ revealed: ActionRun; secrets: string[] }> {
    let inputs: Inputs = run.inputs;
    const secrets: string[] = [];
    for (const path of paths) {
      const encrypted = valueAt(inputs, path);
      const plain = typeof encrypted === 'string' ? await this.decryptor.decrypt(encrypted) : undefined;
      if (plain === undefined) throw new SecretInputUndecryptableError(path.join('.'));
      if (plain.length > 0) secrets.push(plain);
      inputs = withValueAt(inputs, path, plain);
    }
    // Longest first, so a secret containing another is masked whole.
    secrets.sort((a, b) => b.length - a.length);
    return { revealed: new ActionRun({ ...run, inputs }), secrets };
  }

  private async handleMasked(
    handler: ActionHandler,
    run: ActionRun,
    context: ActionHandlerContext,
    secrets: readonly string[],
  ): Promise<ActionHandlerResult> {
    try {
      const result = await handler.handle(run, { ...context, log: (message) => context.log(masked(message, secrets)) });
      return {
        ...(result.statusLabel !== undefined && { statusLabel: masked(result.statusLabel, secrets) }),
        ...(result.summary !== undefined && { summary: masked(result.summary, secrets) }),
        ...(result.link !== undefined && { link: result.link.map((link) => masked(link, secrets)) }),
        ...(result.externalRunId !== undefined && { externalRunId: masked(result.externalRunId, secrets) }),
      };
    } catch (error) {
      const message = errorMessage(error);
      if (!secrets.some((secret) => message.includes(secret))) throw error;
      // Its message (and maybe its cause or stack) holds a secret: only the masked message goes on.
      const code = error instanceof HermesError ? error.code : 'HANDLER_FAILED';
      if (isRetryable(error)) throw new SecretRedactedTransientError(masked(message, secrets), code, retryAfterMsOf(error));
      throw new SecretRedactedError(masked(message, secrets), code);
    }
  }
}
