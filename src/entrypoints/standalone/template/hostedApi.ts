import type { GatewayApi, GatewayRoute } from '../websocket/GatewayApi.js';
import { routeSelector } from '../websocket/routeSelection.js';
import type { HostedFunctions } from './functionHost.js';
import type { WebSocketApiDefinition } from './webSocketApi.js';

/**
 * The WebSocket API of a template, with its functions loaded: what the gateway routes to. Each
 * invocation looks the handler up again, so `--watch` reloads reach open connections at once.
 */
export function hostedApi(definition: WebSocketApiDefinition, functions: HostedFunctions): GatewayApi {
  const routes = new Map<string, GatewayRoute>();
  for (const route of definition.routes.values()) {
    const logicalId = route.function.logicalId;
    routes.set(route.routeKey, {
      routeKey: route.routeKey,
      routeResponse: route.routeResponse,
      invoke: (event) => functions.handler(logicalId)(event),
    });
  }
  const authorizer = definition.authorizer;
  return {
    selectRoute: routeSelector(definition.routeSelectionExpression),
    route: (routeKey) => routes.get(routeKey),
    ...(authorizer
      ? {
          authorizer: {
            identitySources: authorizer.identitySources,
            invoke: (event) => functions.handler(authorizer.function.logicalId)(event),
          },
        }
      : {}),
  };
}
