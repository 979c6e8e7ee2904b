import { errorMessage, errorName, HermesError, PermanentError, TransientError } from '../../domain/shared/HermesError.js';
import { AWS_SERVICES, LOCALSTACK_ENDPOINT, type AwsConfig, type AwsService } from '../config/awsConfig.js';
import type { Env } from '../config/Env.js';
import { redactUrl } from '../../domain/shared/redactUrl.js';
import { ProvisionConflictError } from './ProvisionStep.js';

/** How people call each service. */
const SERVICE_NAMES: Readonly<Record<AwsService, string>> = {
  dynamodb: 'DynamoDB',
  sqs: 'SQS',
  secretsManager: 'Secrets Manager',
  apiGatewayManagement: 'the API Gateway Management API',
};

/** Node's codes for a service that cannot be reached at all (nothing listens, no such host, no route). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** A provisioning step could not reach its AWS service (or emulator); retrying once it runs may help. */
export class ServiceUnreachableError extends TransientError {
  readonly code = 'SERVICE_UNREACHABLE';

  constructor(message: string, cause: unknown, details: Readonly<Record<string, unknown>>) {
    super(message, undefined, { cause, details });
  }
}

/** An AWS service (or emulator) answered a provisioning call with an error, or its answer was unusable. */
export class ServiceCallError extends PermanentError {
  readonly code = 'SERVICE_CALL_FAILED';

  constructor(message: string, cause: unknown, details: Readonly<Record<string, unknown>>) {
    super(message, { cause, details });
  }
}

/** The error's Node code, looking inside an AggregateError (`localhost` tried on ::1 and 127.0.0.1). */
function networkCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return code;
  if (error instanceof AggregateError) return error.errors.map(networkCode).find((found) => found !== undefined);
  if (error.name === 'TimeoutError') return 'ETIMEDOUT';
  return undefined;
}

/** The message of an error, or of the errors an AggregateError (whose own message is empty) holds. */
function messageOf(error: unknown): string {
  if (error instanceof AggregateError && !error.message) return error.errors.map(errorMessage).join('; ');
  return errorMessage(error);
}

/** The endpoint a service was called at, and which setting chose it. */
function endpointOf(service: AwsService, config: AwsConfig, env: Env): { shown: string; source: string } {
  const own = `AWS_ENDPOINT_URL_${AWS_SERVICES[service]}`;
  const endpoint = config.endpoints[service];
  const shown = endpoint === undefined ? `the AWS endpoint of ${config.region ?? 'the default region'}` : redactUrl(endpoint);
  if (env[own]) return { shown, source: `from ${own}` };
  if (env['AWS_ENDPOINT_URL']) return { shown, source: `from AWS_ENDPOINT_URL; ${own} sets this service's alone` };
  if (endpoint === LOCALSTACK_ENDPOINT) return { shown, source: `LocalStack's default; set ${own} (or AWS_ENDPOINT_URL) to where it runs` };
  return { shown, source: `set ${own} to call another endpoint` };
}

/**
 * An error of a provisioning step, rewritten to name the service, the endpoint it was called at and
 * the variable that sets it: "cannot reach Secrets Manager at http://localhost:4566 (LocalStack's
 * default; set AWS_ENDPOINT_URL_SECRETS_MANAGER ...): connect ECONNREFUSED 127.0.0.1:4566".
 * hermes' own errors (a conflict it found) already say what is wrong and pass through unchanged.
 */
export function describeServiceError(service: AwsService, config: AwsConfig, env: Env, error: unknown): Error {
  if (error instanceof HermesError || error instanceof ProvisionConflictError) return error;
  const { shown, source } = endpointOf(service, config, env);
  const name = SERVICE_NAMES[service];
  const details = { service, variable: `AWS_ENDPOINT_URL_${AWS_SERVICES[service]}` };
  const reason = redactUrl(messageOf(error));
  const code = networkCode(error);
  if (code !== undefined)
    return new ServiceUnreachableError(`cannot reach ${name} at ${shown} (${source}): ${reason || code}`, error, details);
  return new ServiceCallError(`${name} at ${shown} (${source}) failed: ${errorName(error)}: ${reason}`, error, details);
}

/** Runs one provisioning step against `service`, its errors described by {@link describeServiceError}. */
export async function runServiceStep<T>(service: AwsService, config: AwsConfig, env: Env, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw describeServiceError(service, config, env, error);
  }
}
