import * as z from 'zod';
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

/**
 * Validates the variables a schema names. Messages name the variable and the rule, and show the
 * rejected value only for variables not listed in `secretKeys`.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env, secretKeys: readonly string[] = []): z.infer<S> {
  const input = withoutEmpty(env, Object.keys(schema.shape));
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigurationError(
    result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '(environment)');
      const shown = secretKeys.includes(key) || input[key] === undefined ? '' : ` (got "${input[key]}")`;
      return `${key}: ${issue.message}${shown}`;
    }),
  );
}

/** An integer variable within bounds. */
export function intVar(min: number, max: number) {
  return z.coerce
    .number({ error: `must be an integer between ${min} and ${max}` })
    .int({ error: `must be an integer between ${min} and ${max}` })
    .min(min, { error: `must be an integer between ${min} and ${max}` })
    .max(max, { error: `must be an integer between ${min} and ${max}` });
}

/** A boolean variable: true/false, 1/0, yes/no. */
export function boolVar() {
  return z
    .string()
    .toLowerCase()
    .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), { error: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
}
