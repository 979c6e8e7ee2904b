import type {
  APIGatewayEventWebsocketRequestContextV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayProxyWebsocketEventV2WithRequestContext,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';

/** What the hermes authorizer puts in its policy context; API Gateway copies it into `requestContext.authorizer`. */
export interface HermesAuthorizerContext {
  readonly room_id: string;
  readonly user_id: string;
}

/** `requestContext.authorizer` of WebSocket events: the policy context plus what API Gateway adds. */
export type WebSocketAuthorizerData = Partial<HermesAuthorizerContext> & {
  readonly principalId?: string;
  readonly integrationLatency?: number;
  readonly [key: string]: string | number | boolean | undefined;
};

export interface WebSocketIdentity {
  readonly sourceIp: string;
  readonly userAgent?: string | undefined;
}

/** The `requestContext` of API Gateway WebSocket events, with the fields @types/aws-lambda leaves out. */
export type WebSocketRequestContext = Omit<APIGatewayEventWebsocketRequestContextV2, 'messageId'> & {
  /** Absent on `$connect` (and its authorizer), as API Gateway sends them. */
  readonly messageId?: string;
  readonly identity?: WebSocketIdentity;
  readonly authorizer?: WebSocketAuthorizerData;
  /** `$disconnect` only. */
  readonly disconnectStatusCode?: number;
  readonly disconnectReason?: string;
};

/** A `$connect`, `$disconnect` or message event of a WebSocket API (Lambda proxy integration). */
export type WebSocketEvent = APIGatewayProxyWebsocketEventV2WithRequestContext<WebSocketRequestContext> & {
  /** `$connect` only. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly multiValueHeaders?: Readonly<Record<string, string[] | undefined>>;
};

/** The REQUEST authorizer event of a WebSocket API's `$connect` route. */
export type WebSocketAuthorizerEvent = Pick<
  APIGatewayRequestAuthorizerEvent,
  'type' | 'methodArn' | 'headers' | 'multiValueHeaders' | 'queryStringParameters' | 'multiValueQueryStringParameters' | 'stageVariables'
> & { readonly requestContext: WebSocketRequestContext };

/** A route integration's answer. For message routes a `body` is sent back to the sender. */
export type WebSocketResult = APIGatewayProxyStructuredResultV2;

/** A WebSocket route handler, as Lambda and the local gateway call it. */
export type WebSocketRouteHandler = (event: WebSocketEvent, context?: Context) => Promise<WebSocketResult>;
