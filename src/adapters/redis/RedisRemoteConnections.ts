import type { RedisConnection } from './RedisConnection.js';
import type { RedisKeys } from './RedisKeys.js';
import type { ConnectionCall, RedisNodeBus, RemoteConnectionInfo } from './RedisNodeBus.js';

/**
 * `@connections` for a connection another node holds: the owner is read from the connection's
 * record and asked over the node bus. Unknown ids, closed connections and nodes that do not
 * answer are all "gone", as API Gateway answers 410 for a connection it no longer has.
 */
export class RedisRemoteConnections {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly bus: RedisNodeBus,
  ) {}

  /** Sends `payload` down the connection; false when it is gone. */
  async post(connectionId: string, payload: string): Promise<boolean> {
    return (await this.ask('post', connectionId, payload))?.ok === true;
  }

  /** What the holding node tells of the connection; undefined when it is gone. */
  async describe(connectionId: string): Promise<RemoteConnectionInfo | undefined> {
    const result = await this.ask('get', connectionId);
    return result?.ok === true ? result.info : undefined;
  }

  /** Closes the connection; false when it is gone. */
  async remove(connectionId: string): Promise<boolean> {
    return (await this.ask('delete', connectionId))?.ok === true;
  }

  private async ask(operation: ConnectionCall, connectionId: string, payload?: string) {
    const node = await this.redis.call('find the node of a connection', (client) =>
      client.hget(this.keys.connection(connectionId), 'node'),
    );
    if (!node || node === this.bus.nodeId) return undefined;
    return this.bus.call(node, operation, connectionId, payload);
  }
}
