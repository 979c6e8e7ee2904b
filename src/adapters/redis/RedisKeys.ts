/** Ids go into keys percent-encoded, so that no id can make one key look like another (`:` is the separator). */
const part = (value: string): string => encodeURIComponent(value);

/**
 * Every key and channel hermes uses in Redis, under `hermes:<stage>:`. Rooms, nodes and
 * connections each have their own keys, so every lookup names its key: no KEYS or SCAN.
 */
export class RedisKeys {
  readonly prefix: string;

  constructor(stage: string) {
    this.prefix = `hermes:${part(stage)}:`;
  }

  /** Hash of one connection: room, user, connectedAt, expiresAt, node, member (its entry in the room's set). */
  connection(connectionId: string): string {
    return `${this.prefix}conn:${part(connectionId)}`;
  }

  /** Sorted set (all scores 0, ordered by member) of a room's connections, one member per connection. */
  room(roomId: string): string {
    return `${this.prefix}room:${part(roomId)}:conns`;
  }

  /** Hash of a room's history position: `epoch` and the last `seq` (HINCRBY: one counter per room). */
  roomPosition(roomId: string): string {
    return `${this.prefix}room:${part(roomId)}:position`;
  }

  /** List of a room's retained notifications, oldest first (`<seq> <expiresAtMs> <envelope>`), trimmed on append. */
  roomHistory(roomId: string): string {
    return `${this.prefix}room:${part(roomId)}:history`;
  }

  /** Sorted set (scores 0) of the users present in a room. */
  roomUsers(roomId: string): string {
    return `${this.prefix}room:${part(roomId)}:users`;
  }

  /** Hash of one user's connections in a room: connection id → `<connectedAtMs> <expiresAtMs>`. */
  roomUserConnections(roomId: string, userId: string): string {
    return `${this.prefix}room:${part(roomId)}:user:${part(userId)}:conns`;
  }

  /** Hash of the last grant of a user in a room. */
  grant(userId: string, roomId: string): string {
    return `${this.prefix}grant:${part(userId)}:${part(roomId)}`;
  }

  /** Hash of one Port run in the run ledger. */
  run(runId: string): string {
    return `${this.prefix}run:${part(runId)}`;
  }

  /** The notification stream (consumer group {@link RedisKeys.queueGroup}). */
  get queue(): string {
    return `${this.prefix}queue`;
  }

  /** Where notifications go after `HERMES_MAX_RECEIVE_COUNT` receives (the SQS DLQ's counterpart). */
  get deadLetterQueue(): string {
    return `${this.prefix}queue:dlq`;
  }

  readonly queueGroup = 'hermes';

  /** Sorted set of the gateway nodes that announced themselves (score: when they started). */
  get nodes(): string {
    return `${this.prefix}nodes`;
  }

  /** A node's heartbeat key: it exists while the node is alive (refreshed well within its TTL). */
  nodeAlive(nodeId: string): string {
    return `${this.prefix}node:${part(nodeId)}:alive`;
  }

  /** Set of the connection ids a node holds, so a dead node's connections are found without a scan. */
  nodeConnections(nodeId: string): string {
    return `${this.prefix}node:${part(nodeId)}:conns`;
  }

  /** Lock taken by the one node that cleans up after a dead node. */
  nodeReaper(nodeId: string): string {
    return `${this.prefix}node:${part(nodeId)}:reaper`;
  }

  /** The pub/sub channel a node listens on (deliveries and `@connections` calls for its sockets). */
  nodeChannel(nodeId: string): string {
    return `${this.prefix}node:${part(nodeId)}:bus`;
  }
}
