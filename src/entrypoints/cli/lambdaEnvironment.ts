import { LAMBDA_HANDLERS, type LambdaHandlerName } from '../lambda/shared/lambdaHandlers.js';

/**
 * The reserved variables the Lambda runtime sets for a function, as far as hermes' libraries read
 * them. `AWS_LAMBDA_INITIALIZATION_TYPE=on-demand` is how Powertools knows it runs in an on-demand
 * execution environment: its loggers then say `cold_start: true` on the first invocation only
 * (with the variable unset, Powertools assumes no Lambda and always says false).
 */
export function lambdaEnvironment(name: LambdaHandlerName): Readonly<Record<string, string>> {
  return {
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_FUNCTION_NAME: `hermes-${name}`,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(LAMBDA_HANDLERS[name].memoryMb),
  };
}

/**
 * Runs `work` (the function's Init and Invoke) with `variables` in `process.env` — those the caller
 * already set are kept — and puts the environment back as it was afterwards.
 */
export async function withEnvironment<T>(variables: Readonly<Record<string, string>>, work: () => Promise<T>): Promise<T> {
  const added = Object.keys(variables).filter((key) => process.env[key] === undefined);
  for (const key of added) process.env[key] = variables[key];
  try {
    return await work();
  } finally {
    for (const key of added) delete process.env[key];
  }
}
