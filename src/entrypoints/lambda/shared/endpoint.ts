import type { WebSocketRequestContext } from './events.js';

/**
 * Where API Gateway's `@connections` endpoint is learnt from: the WebSocket events. The notifier
 * composition hands its `ConnectionsEndpointResolver` (HERMES_CONNECTIONS_ENDPOINT, else these
 * observations) to the handlers of functions that post to connections.
 */
export interface ConnectionsEndpointObserver {
  observe(domainName: string | undefined, stage: string | undefined): void;
}

/** Tells `endpoint` (when given) which API an event came from. */
export function observeEndpoint(endpoint: ConnectionsEndpointObserver | undefined, requestContext: WebSocketRequestContext): void {
  endpoint?.observe(requestContext.domainName, requestContext.stage);
}
