import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import type { WebSocketAuthorizerData } from '../../lambda/shared/events.js';

export type PolicyDecision =
  | { readonly effect: 'Allow'; readonly authorizer: WebSocketAuthorizerData }
  | { readonly effect: 'Deny' }
  /** Not a usable authorizer response (e.g. the seed's `null`): API Gateway answers 500. */
  | { readonly effect: 'Invalid'; readonly problem: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** IAM-style wildcard match (`*` any run, `?` one character), case-sensitive. */
function wildcardMatches(pattern: unknown, value: string): boolean {
  if (typeof pattern !== 'string') return false;
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

/** API Gateway's quota on a Lambda authorizer's result (not adjustable). */
export const MAX_AUTHORIZER_RESULT_BYTES = 8 * 1024;

/**
 * Evaluates an authorizer's answer for `methodArn` as API Gateway does: an explicit Deny wins, then
 * an Allow; no matching statement is a Deny. The context is copied into `requestContext.authorizer`
 * with its numbers and booleans as strings; an object or array value, or a result over 8 KB, is an
 * invalid answer (500).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html
 */
export function evaluatePolicy(result: unknown, methodArn: string, integrationLatency: number): PolicyDecision {
  if (!isRecord(result)) return { effect: 'Invalid', problem: 'the authorizer returned no policy' };
  const size = Buffer.byteLength(JSON.stringify(result), 'utf8');
  if (size > MAX_AUTHORIZER_RESULT_BYTES) {
    return { effect: 'Invalid', problem: `the authorizer result is ${size} bytes; API Gateway accepts ${MAX_AUTHORIZER_RESULT_BYTES}` };
  }
  const response = result as Partial<APIGatewayAuthorizerResult>;
  if (typeof response.principalId !== 'string') return { effect: 'Invalid', problem: 'principalId is missing' };
  const document = response.policyDocument as unknown;
  if (!isRecord(document) || document['Statement'] === undefined) return { effect: 'Invalid', problem: 'policyDocument is missing' };

  let allowed = false;
  for (const statement of asArray(document['Statement'])) {
    if (!isRecord(statement)) continue;
    const invokes = asArray(statement['Action']).some((action) => wildcardMatches(action, 'execute-api:Invoke'));
    const covers = asArray(statement['Resource']).some((resource) => wildcardMatches(resource, methodArn));
    if (!invokes || !covers) continue;
    if (statement['Effect'] === 'Deny') return { effect: 'Deny' };
    if (statement['Effect'] === 'Allow') allowed = true;
  }
  if (!allowed) return { effect: 'Deny' };

  // Built by assignments, not by spreading: V8 gives spread copies of such objects a map each,
  // and this object lives as long as its connection.
  const authorizer: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(isRecord(response.context) ? response.context : {})) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      return { effect: 'Invalid', problem: `context.${key} is not a string, number or boolean` };
    }
    authorizer[key] = String(value);
  }
  authorizer['principalId'] = response.principalId;
  authorizer['integrationLatency'] = integrationLatency;
  return { effect: 'Allow', authorizer };
}
