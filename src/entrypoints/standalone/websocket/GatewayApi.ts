import type { WebSocketAuthorizerEvent, WebSocketEvent } from '../../lambda/shared/events.js';
import type { RouteSelector } from './routeSelection.js';

/** One route of the WebSocket API and its integration. */
export interface GatewayRoute {
  readonly routeKey: string;
  /** The integration's answer reaches the client only when the route has a route response. */
  readonly routeResponse: boolean;
  invoke(event: WebSocketEvent): Promise<unknown>;
}

/** The REQUEST authorizer of `$connect`. */
export interface GatewayAuthorizer {
  /** `route.request.querystring.<name>` / `route.request.header.<name>`: a request without one gets 401, the authorizer is not run. */
  readonly identitySources: readonly string[];
  invoke(event: WebSocketAuthorizerEvent): Promise<unknown>;
}

/** What the gateway routes to: any API (hermes' own or another SAM template's), read from its template. */
export interface GatewayApi {
  /** The route key a message selects (the route selection expression), if any. */
  readonly selectRoute: RouteSelector;
  readonly authorizer?: GatewayAuthorizer;
  route(routeKey: string): GatewayRoute | undefined;
}
