import { KafkaMskEventSchema, KafkaSelfManagedEventSchema, SqsSchema } from '@aws-lambda-powertools/parser/schemas';
import * as z from 'zod';
import type { LambdaHandlerName } from './lambdaHandlers.js';

/**
 * The shape of the event each Lambda handler expects, as API Gateway, SQS and the Kafka event source
 * deliver it. `hermes invoke --invocation-type DryRun` validates sample events against these; the
 * handlers themselves do not, so none of this is in a Lambda bundle.
 *
 * SQS and Kafka: Powertools' own schemas (`SqsSchema`, `KafkaSelfManagedEventSchema`, `KafkaMskEventSchema`).
 * WebSocket: hand-written. Powertools' `APIGatewayProxyWebsocketEventSchema` models the REQUEST
 * authorizer's event (it requires `type`, `methodArn`, `multiValueHeaders` and `isBase64Encoded`), so it
 * refuses the route events API Gateway sends to `$connect`/`$disconnect`/`sendMessage`/`$default`
 * integrations (which carry none of `type`/`methodArn`) and the authorizer event too (no
 * `isBase64Encoded`). Those below also check what hermes relies on: the route key, the authorizer context, the body.
 */

const nonEmpty = z.string().min(1);

const webSocketContext = {
  connectionId: nonEmpty,
  domainName: nonEmpty,
  stage: nonEmpty,
  apiId: nonEmpty,
  requestId: nonEmpty,
  connectedAt: z.number().int().positive(),
  requestTimeEpoch: z.number().int().positive(),
};

/** What the `$connect` authorizer put in the connection's context (strings, as API Gateway passes them). */
const authorizerContext = z.looseObject({ principalId: nonEmpty, room_id: nonEmpty, user_id: nonEmpty });

const authorizerEvent = z.looseObject({
  type: z.literal('REQUEST'),
  methodArn: z.string().regex(/^arn:aws[a-z-]*:execute-api:[a-z0-9-]+:\d{12}:[a-z0-9]+\/[^/]+\/\$connect$/, {
    error: 'must be the $connect route ARN (arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/$connect)',
  }),
  queryStringParameters: z.looseObject({ token: nonEmpty }),
  requestContext: z.looseObject({ ...webSocketContext, routeKey: z.literal('$connect'), eventType: z.literal('CONNECT') }),
});

const connectEvent = z.looseObject({
  requestContext: z.looseObject({
    ...webSocketContext,
    routeKey: z.literal('$connect'),
    eventType: z.literal('CONNECT'),
    authorizer: authorizerContext,
  }),
});

const disconnectEvent = z.looseObject({
  requestContext: z.looseObject({
    ...webSocketContext,
    routeKey: z.literal('$disconnect'),
    eventType: z.literal('DISCONNECT'),
    disconnectStatusCode: z.number().int().optional(),
    disconnectReason: z.string().optional(),
  }),
});

function jsonObjectBody(requireAction?: string) {
  return z.string().superRefine((body, ctx) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON text' });
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return;
    }
    if (requireAction === undefined) return;
    const message = parsed as Record<string, unknown>;
    if (message['action'] !== requireAction) ctx.addIssue({ code: 'custom', message: `must have "action": "${requireAction}"` });
    if (!('data' in message)) ctx.addIssue({ code: 'custom', message: 'must have "data"' });
  });
}

const sendMessageEvent = z.looseObject({
  requestContext: z.looseObject({
    ...webSocketContext,
    routeKey: z.literal('sendMessage'),
    eventType: z.literal('MESSAGE'),
    messageId: nonEmpty,
    authorizer: authorizerContext.optional(),
  }),
  body: jsonObjectBody('sendMessage'),
  isBase64Encoded: z.literal(false).optional(),
});

/** A message of one of the client routes without `data` (`resume`, `presence`). */
function routeEvent(routeKey: string) {
  return z.looseObject({
    requestContext: z.looseObject({
      ...webSocketContext,
      routeKey: z.literal(routeKey),
      eventType: z.literal('MESSAGE'),
      messageId: nonEmpty,
      authorizer: authorizerContext.optional(),
    }),
    body: jsonObjectBody(),
    isBase64Encoded: z.literal(false).optional(),
  });
}

const defaultEvent = z.looseObject({
  requestContext: z.looseObject({
    ...webSocketContext,
    routeKey: z.literal('$default'),
    eventType: z.literal('MESSAGE'),
    messageId: nonEmpty,
  }),
  body: z.string(),
});

const queueEvent = SqsSchema;

const actionRunnerEvent = z.union([KafkaSelfManagedEventSchema, KafkaMskEventSchema]);

/** Per handler, the event it accepts. */
export const LAMBDA_EVENT_SCHEMAS: Readonly<Record<LambdaHandlerName, z.ZodType>> = {
  authorizer: authorizerEvent,
  connect: connectEvent,
  disconnect: disconnectEvent,
  sendMessage: sendMessageEvent,
  resume: routeEvent('resume'),
  presence: routeEvent('presence'),
  default: defaultEvent,
  queue: queueEvent,
  'action-runner': actionRunnerEvent,
};

export type EventValidation = { readonly valid: true } | { readonly valid: false; readonly problems: readonly string[] };

/** Checks an event against a handler's expected shape; problems name the offending path. */
export function validateLambdaEvent(name: LambdaHandlerName, event: unknown): EventValidation {
  const result = LAMBDA_EVENT_SCHEMAS[name].safeParse(event);
  if (result.success) return { valid: true };
  return {
    valid: false,
    problems: result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(event)'}: ${issue.message}`),
  };
}
