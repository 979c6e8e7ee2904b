import type { DeliveryOutcome } from '../../application/notifications/ports/ConnectionNotifier.js';

/** Something in this process that can push a message down one open connection (a `ws` socket, a test double). */
export interface LocalConnectionSink {
  /** A socket knows at once whether it took the message; a test double may answer later. */
  deliver(payload: string): DeliveryOutcome | Promise<DeliveryOutcome>;
}

/** The open connections this process holds, by connection id. The local gateway registers its sockets here. */
export class LocalConnectionRegistry {
  private readonly sinks = new Map<string, LocalConnectionSink>();

  register(connectionId: string, sink: LocalConnectionSink): void {
    this.sinks.set(connectionId, sink);
  }

  unregister(connectionId: string): void {
    this.sinks.delete(connectionId);
  }

  get(connectionId: string): LocalConnectionSink | undefined {
    return this.sinks.get(connectionId);
  }

  get size(): number {
    return this.sinks.size;
  }
}
