import type { WebSocketAuthorizerEvent, WebSocketEvent, WebSocketRequestContext } from '../../../src/entrypoints/lambda/shared/events.js';

export const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/production/$connect';

/** A WebSocket requestContext as API Gateway sends it; `overrides` replace fields. */
export function requestContext(overrides: Partial<WebSocketRequestContext> = {}): WebSocketRequestContext {
  return {
    routeKey: '$connect',
    messageId: 'msg-1',
    eventType: 'CONNECT',
    extendedRequestId: 'req-1',
    requestTime: '21/Nov/2026:08:00:00 +0000',
    messageDirection: 'IN',
    stage: 'production',
    connectedAt: Date.parse('2026-11-21T08:00:00Z'),
    requestTimeEpoch: Date.parse('2026-11-21T08:00:00Z'),
    requestId: 'req-1',
    domainName: 'abcdef1234.execute-api.eu-west-1.amazonaws.com',
    connectionId: 'L0SM9cOFvHcCIhw=',
    apiId: 'abcdef1234',
    identity: { sourceIp: '203.0.113.7', userAgent: 'test' },
    ...overrides,
  };
}

export function authorizerEvent(token: string | undefined, overrides: Partial<WebSocketAuthorizerEvent> = {}): WebSocketAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    headers: { Host: 'abcdef1234.execute-api.eu-west-1.amazonaws.com' },
    multiValueHeaders: null,
    queryStringParameters: token === undefined ? null : { token },
    multiValueQueryStringParameters: token === undefined ? null : { token: [token] },
    stageVariables: null,
    requestContext: requestContext(),
    ...overrides,
  };
}

export function messageEvent(body: string | undefined, context: Partial<WebSocketRequestContext> = {}): WebSocketEvent {
  return {
    requestContext: requestContext({
      routeKey: 'sendMessage',
      eventType: 'MESSAGE',
      authorizer: { principalId: 'alice', room_id: 'acme', user_id: 'alice' },
      ...context,
    }),
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}
