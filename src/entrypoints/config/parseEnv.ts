// zod/mini rather than zod: the same validation, tree-shakable, so every Lambda bundle stays small.
import * as z from 'zod/mini';
import { ConfigurationError } from './ConfigurationError.js';
import type { Env } from './Env.js';

/** Empty variables count as unset, as a shell `export X=` usually means. */
function withoutEmpty(env: Env, keys: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of keys) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') picked[key] = value.trim();
  }
  return picked;
}

/** The problems of `env` against `schema`: the variable, the rule, and the rejected value unless it is a secret. */
export function envProblems<S extends z.ZodMiniObject>(
  schema: S,
  env: Env,
  secretKeys: readonly string[] = [],
): { readonly data: z.infer<S> | undefined; readonly problems: readonly string[] } {
  const input = withoutEmpty(env, Object.keys(schema.shape));
  const result = schema.safeParse(input);
  if (result.success) return { data: result.data, problems: [] };
  return {
    data: undefined,
    problems: result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '(environment)');
      const shown = secretKeys.includes(key) || input[key] === undefined ? '' : ` (got "${input[key]}")`;
      return `${key}: ${issue.message}${shown}`;
    }),
  };
}

/**
 * Validates the variables a schema names. Messages name the variable and the rule, and show the
 * rejected value only for variables not listed in `secretKeys`.
 */
export function parseEnv<S extends z.ZodMiniObject>(schema: S, env: Env, secretKeys: readonly string[] = []): z.infer<S> {
  const { data, problems } = envProblems(schema, env, secretKeys);
  if (data === undefined) throw new ConfigurationError(problems);
  return data;
}

/** An integer variable within bounds. */
export function intVar(min: number, max: number) {
  const error = `must be an integer between ${min} and ${max}`;
  return z.coerce.number({ error }).check(z.int({ error }), z.minimum(min, { error }), z.maximum(max, { error }));
}

/** A boolean variable: true/false, 1/0, yes/no. */
export function boolVar() {
  return z.pipe(
    z.string().check(
      z.toLowerCase(),
      z.refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), { error: 'must be true or false' }),
    ),
    z.transform((v: string) => v === 'true' || v === '1' || v === 'yes'),
  );
}

/** A string variable turned to one of `values`, case-insensitively (upper or lower case, as `values` are written). */
export function caseInsensitiveEnum<const T extends readonly [string, ...string[]]>(values: T, upper: boolean) {
  return z.pipe(
    z.string().check(upper ? z.toUpperCase() : z.toLowerCase()),
    z.enum(values, { error: `must be one of ${values.join(', ')}` }),
  );
}
