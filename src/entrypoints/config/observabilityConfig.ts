import type { Env } from './Env.js';

/** What metrics, tracing and logs need to know about where the process runs. */
export interface ObservabilityConfig {
  /** `HERMES_STAGE` (the template sets it to the `Stage` parameter): a label/dimension of every metric. */
  readonly stage: string;
  /** Set by the Lambda runtime (`AWS_LAMBDA_FUNCTION_NAME`): metrics go out as CloudWatch EMF, traces to X-Ray. */
  readonly lambdaFunctionName: string | undefined;
}

/** Reads the observability settings; nothing here is ever invalid (the gateway section validates `HERMES_STAGE`). */
export function loadObservabilityConfig(env: Env): ObservabilityConfig {
  return { stage: env['HERMES_STAGE'] || 'local', lambdaFunctionName: env['AWS_LAMBDA_FUNCTION_NAME'] || undefined };
}
