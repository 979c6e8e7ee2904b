import type { Container } from 'inversify';
import type { ConnectionsEndpointResolver } from '../../../adapters/aws/ConnectionsEndpointResolver.js';
import { ENTRYPOINT_TOKENS } from '../../di/tokens.js';
import type { WebSocketRequestContext } from './events.js';

/**
 * A function that tells the container's `@connections` endpoint resolver which API an event came
 * from, so that notifications can be posted back through it when HERMES_CONNECTIONS_ENDPOINT is unset.
 */
export function endpointObserver(container: Container): (requestContext: WebSocketRequestContext) => void {
  if (!container.isBound(ENTRYPOINT_TOKENS.ConnectionsEndpoint)) return () => undefined;
  const resolver = container.get<ConnectionsEndpointResolver>(ENTRYPOINT_TOKENS.ConnectionsEndpoint);
  return (requestContext) => resolver.observe(requestContext.domainName, requestContext.stage);
}
