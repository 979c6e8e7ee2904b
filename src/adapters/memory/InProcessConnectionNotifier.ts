import type { ConnectionNotifier, DeliveryOutcome } from '../../application/notifications/ports/ConnectionNotifier.js';
import type { ConnectionId } from '../../domain/connection/ConnectionId.js';
import type { LocalConnectionRegistry } from './LocalConnectionRegistry.js';

const GONE: DeliveryOutcome = { status: 'gone' };

/** Writes straight to the sockets of this process; a connection it does not hold is gone. */
export class InProcessConnectionNotifier implements ConnectionNotifier {
  constructor(private readonly registry: LocalConnectionRegistry) {}

  send(connectionId: ConnectionId, payload: string): DeliveryOutcome | Promise<DeliveryOutcome> {
    const sink = this.registry.get(connectionId.value);
    return sink ? sink.deliver(payload) : GONE;
  }
}
