import type { IncomingMessage } from 'node:http';
import type { WebSocketAuthorizerEvent, WebSocketEvent, WebSocketIdentity, WebSocketRequestContext } from '../../lambda/shared/events.js';
import { ROUTE_KEYS } from '../../lambda/shared/routes.js';
import type { GatewayConnection } from './GatewayConnection.js';
import { apiGatewayStyleId, requestTime } from './ids.js';

/** What identifies the emulated API in events and ARNs. */
export interface ApiIdentity {
  readonly apiId: string;
  readonly stage: string;
  readonly region: string;
  readonly accountId: string;
  /** `host:port` the API is reached at (known once the server listens); the port is left out when it is 80 or 443. */
  domainName(): string;
}

/** `domainName` as API Gateway gives it: the host alone on a standard port. */
export function eventDomainName(hostAndPort: string): string {
  return hostAndPort.replace(/:(80|443)$/, '');
}

export interface UpgradeRequestData {
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly query: Record<string, string> | null;
  readonly multiValueQuery: Record<string, string[]> | null;
  readonly identity: WebSocketIdentity;
}

/**
 * Headers (original casing, as API Gateway passes them) and query string of an upgrade request, with
 * the `X-Forwarded-For/Port/Proto` headers API Gateway adds (the client's address, the listening
 * port, the scheme), when a proxy in front has not set them already.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html (sample $connect input)
 */
export function upgradeRequestData(req: IncomingMessage, url: URL): UpgradeRequestData {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const add = (name: string, value: string): void => {
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
    (multiValueHeaders[name] ??= []).push(value);
  };
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) add(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  const forwarded: ReadonlyArray<readonly [string, string | undefined]> = [
    ['X-Forwarded-For', req.socket.remoteAddress],
    ['X-Forwarded-Port', req.socket.localPort === undefined ? undefined : String(req.socket.localPort)],
    ['X-Forwarded-Proto', 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http'],
  ];
  for (const [name, value] of forwarded) {
    if (value !== undefined && req.headers[name.toLowerCase()] === undefined) add(name, value);
  }
  const multiValueQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) (multiValueQuery[name] ??= []).push(value);
  const names = Object.keys(multiValueQuery);
  // Like API Gateway, the single-value map keeps the last value of a repeated parameter.
  const query = names.length === 0 ? null : Object.fromEntries(names.map((n) => [n, (multiValueQuery[n] as string[]).at(-1) as string]));
  const userAgent = req.headers['user-agent'];
  return {
    headers,
    multiValueHeaders,
    query,
    multiValueQuery: names.length === 0 ? null : multiValueQuery,
    identity: { sourceIp: req.socket.remoteAddress ?? '127.0.0.1', ...(userAgent ? { userAgent } : {}) },
  };
}

/** Builds the events API Gateway would send to each integration of a WebSocket API. */
export class WebSocketEventFactory {
  constructor(private readonly api: ApiIdentity) {}

  /** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/$connect`, the authorizer's `methodArn`. */
  get connectMethodArn(): string {
    const { region, accountId, apiId, stage } = this.api;
    return `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/${ROUTE_KEYS.connect}`;
  }

  authorizer(connection: GatewayConnection, request: UpgradeRequestData): WebSocketAuthorizerEvent {
    return {
      type: 'REQUEST',
      methodArn: this.connectMethodArn,
      headers: request.headers,
      multiValueHeaders: request.multiValueHeaders,
      queryStringParameters: request.query,
      multiValueQueryStringParameters: request.multiValueQuery,
      stageVariables: {},
      requestContext: this.context(connection, ROUTE_KEYS.connect, 'CONNECT', false),
    };
  }

  connect(connection: GatewayConnection, request: UpgradeRequestData): WebSocketEvent {
    return {
      headers: request.headers,
      multiValueHeaders: request.multiValueHeaders,
      ...(request.query ? { queryStringParameters: request.query } : {}),
      ...(request.multiValueQuery ? { multiValueQueryStringParameters: request.multiValueQuery } : {}),
      requestContext: this.context(connection, ROUTE_KEYS.connect, 'CONNECT', true),
      isBase64Encoded: false,
    };
  }

  message(connection: GatewayConnection, routeKey: string, body: string): WebSocketEvent {
    return { requestContext: this.context(connection, routeKey, 'MESSAGE', true), body, isBase64Encoded: false };
  }

  /** `$disconnect` carries a few headers of its own on AWS (Host, x-api-key, X-Forwarded-For, x-restapi). */
  disconnect(connection: GatewayConnection, statusCode: number, reason: string): WebSocketEvent {
    const headers: Record<string, string> = {
      Host: eventDomainName(this.api.domainName()),
      'x-api-key': '',
      'X-Forwarded-For': '',
      'x-restapi': '',
    };
    return {
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      requestContext: {
        ...this.context(connection, ROUTE_KEYS.disconnect, 'DISCONNECT', true),
        disconnectStatusCode: statusCode,
        disconnectReason: reason,
      },
      isBase64Encoded: false,
    };
  }

  private context(
    connection: GatewayConnection,
    routeKey: string,
    eventType: WebSocketRequestContext['eventType'],
    withAuthorizer: boolean,
  ): WebSocketRequestContext {
    const now = Date.now();
    const requestId = apiGatewayStyleId();
    return {
      routeKey,
      eventType,
      // API Gateway gives `$connect` (and its authorizer) no messageId.
      ...(eventType === 'CONNECT' ? {} : { messageId: apiGatewayStyleId() }),
      extendedRequestId: requestId,
      requestTime: requestTime(now),
      messageDirection: 'IN',
      stage: this.api.stage,
      connectedAt: connection.connectedAt,
      requestTimeEpoch: now,
      requestId,
      domainName: eventDomainName(this.api.domainName()),
      connectionId: connection.id,
      apiId: this.api.apiId,
      identity: connection.identity,
      ...(withAuthorizer ? { authorizer: connection.authorizer } : {}),
    };
  }
}
