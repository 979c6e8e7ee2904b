import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import type { HermesAuthorizerContext } from './events.js';

/** The IAM policy a REQUEST authorizer returns: one statement on the `$connect` method ARN. */
export function buildPolicy(
  principalId: string,
  effect: 'Allow' | 'Deny',
  methodArn: string,
  context?: HermesAuthorizerContext,
): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: methodArn }],
    },
    ...(context ? { context: { room_id: context.room_id, user_id: context.user_id } } : {}),
  };
}
