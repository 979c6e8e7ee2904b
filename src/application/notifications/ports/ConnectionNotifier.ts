import type { ConnectionId } from '../../../domain/connection/ConnectionId.js';

/** What happened to one message sent to one connection. */
export type DeliveryOutcome =
  | { readonly status: 'delivered' }
  /** The connection no longer exists (API Gateway's 410 GoneException): it must be forgotten. */
  | { readonly status: 'gone' }
  | { readonly status: 'failed'; readonly reason: string };

/** Pushes a serialized message down one WebSocket connection. */
export interface ConnectionNotifier {
  /**
   * Never rejects for a delivery problem: the outcome says what happened. A notifier that knows the
   * outcome at once (a socket this process holds) returns it directly, so that a broadcast to such
   * sockets needs no promise per recipient.
   */
  send(connectionId: ConnectionId, payload: string): DeliveryOutcome | Promise<DeliveryOutcome>;
}
