import type { Env } from './Env.js';

/** What metrics, tracing and logs need to know about where the process runs. */
export interface ObservabilityConfig {
  /** `HERMES_STAGE` (the template sets it to the `Stage` parameter): a label/dimension of every metric. */
  readonly stage: string;
  /** Set by the Lambda runtime (`AWS_LAMBDA_FUNCTION_NAME`): metrics go out as CloudWatch EMF, traces to X-Ray. */
  readonly lambdaFunctionName: string | undefined;
  /**
   * `HERMES_LOG_FORMAT`: `pretty` (one human-readable line per entry) or `json` (Powertools). Default
   * `pretty` under `npm start` (npm sets `npm_lifecycle_event=start`), `json` everywhere else (Lambda always).
   */
  readonly logFormat: 'json' | 'pretty';
}

/** Reads the observability settings; nothing here is ever invalid (the gateway section validates `HERMES_STAGE`). */
export function loadObservabilityConfig(env: Env): ObservabilityConfig {
  const lambdaFunctionName = env['AWS_LAMBDA_FUNCTION_NAME'] || undefined;
  return { stage: env['HERMES_STAGE'] || 'local', lambdaFunctionName, logFormat: lambdaFunctionName ? 'json' : logFormatOf(env) };
}

function logFormatOf(env: Env): 'json' | 'pretty' {
  const asked = env['HERMES_LOG_FORMAT']?.trim().toLowerCase();
  if (asked === 'json' || asked === 'pretty') return asked;
  return env['npm_lifecycle_event'] === 'start' ? 'pretty' : 'json';
}
