import type { APIGatewayAuthorizerResult, Context } from 'aws-lambda';
import type { AuthorizeConnection } from '../../../application/notifications/usecases/AuthorizeConnection.js';
import type { WebSocketAuthorizerEvent } from '../shared/events.js';
import { type HandlerLogging, withLogContext } from '../shared/logging.js';
import { observed } from '../shared/observed.js';
import { buildPolicy } from '../shared/policy.js';

export type AuthorizerHandler = (event: WebSocketAuthorizerEvent, context?: Context) => Promise<APIGatewayAuthorizerResult>;

/** Principal of a denied connection: API Gateway requires one, and it must not echo the caller's input. */
const DENIED_PRINCIPAL = 'anonymous';

/**
 * The `$connect` REQUEST authorizer: `?token=` → Allow with context {room_id, user_id}, or Deny.
 * Every bad token is a Deny (API Gateway answers 403); only an infrastructure failure (the grant
 * store, a secret) rejects, which API Gateway turns into a 500.
 */
export interface AuthorizerHandlerDeps extends HandlerLogging {
  readonly authorize: Pick<AuthorizeConnection, 'execute'>;
}

export function createAuthorizerHandler(deps: AuthorizerHandlerDeps): AuthorizerHandler {
  const { authorize, logger } = deps;

  return observed(deps, async (event, context) => {
    withLogContext(deps, context);
    const methodArn = typeof event.methodArn === 'string' && event.methodArn.length > 0 ? event.methodArn : undefined;
    const decision = await authorize.execute(event.queryStringParameters?.['token']).catch((error: unknown) => {
      deps.metrics?.increment('hermes_connects_total', { result: 'error' });
      throw error;
    });
    deps.metrics?.increment('hermes_connects_total', { result: decision.effect === 'Allow' && methodArn ? 'allowed' : 'denied' });
    if (decision.effect === 'Allow' && methodArn) {
      logger.info('connection allowed', { principalId: decision.principalId, roomId: decision.roomId.value });
      return buildPolicy(decision.principalId, 'Allow', methodArn, {
        room_id: decision.roomId.value,
        user_id: decision.userId.value,
      });
    }
    logger.info('connection denied', { reason: decision.effect === 'Deny' ? decision.reason : 'METHOD_ARN_MISSING' });
    return buildPolicy(DENIED_PRINCIPAL, 'Deny', methodArn ?? '*');
  });
}
