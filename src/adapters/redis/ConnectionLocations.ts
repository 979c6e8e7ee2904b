/** More ids than this and the oldest half is forgotten (a miss costs one HGET, never a wrong delivery). */
const MAX_ENTRIES = 200_000;

/**
 * Which node holds which connection, as last read from Redis: the connection repository writes
 * it while paging a room, the notifier reads it, so a broadcast needs no lookup per connection.
 */
export class ConnectionLocations {
  private readonly nodes = new Map<string, string>();

  remember(connectionId: string, nodeId: string): void {
    if (this.nodes.size >= MAX_ENTRIES) {
      let drop = MAX_ENTRIES / 2;
      for (const key of this.nodes.keys()) {
        if (drop-- <= 0) break;
        this.nodes.delete(key);
      }
    }
    this.nodes.set(connectionId, nodeId);
  }

  nodeOf(connectionId: string): string | undefined {
    return this.nodes.get(connectionId);
  }

  forget(connectionId: string): void {
    this.nodes.delete(connectionId);
  }
}
