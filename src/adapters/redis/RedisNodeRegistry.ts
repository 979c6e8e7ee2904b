import type { Logger } from '../../application/shared/ports/Logger.js';
import { errorMessage } from '../../domain/shared/HermesError.js';
import type { RedisConnection } from './RedisConnection.js';
import type { RedisKeys } from './RedisKeys.js';

export interface NodeRegistryOptions {
  /** HERMES_NODE_TTL_SECONDS: a node silent this long is dead, and its connections are gone from every view. */
  readonly nodeTtlSeconds: number;
}

/** What to do with each connection of a dead node (the gateway runs `$disconnect`'s use case: forget it, announce the leave). */
export type DeadConnectionHandler = (connectionId: string) => Promise<void>;

const REAP_CHUNK = 200;

/**
 * The gateway nodes sharing one Redis. Each node refreshes its heartbeat key (`SET … PX`) every
 * fifth of the TTL, so the key outlives a few missed beats but not a dead node; every node checks
 * the others' keys as often, and the first to see one missing takes the reaper lock and removes
 * the dead node's connections (found through its connection set: no scan). A dead node is gone
 * from every view within the TTL: its key expires 0.6·TTL after its last beat, and is noticed at
 * most 0.2·TTL later.
 */
export class RedisNodeRegistry {
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    readonly nodeId: string,
    private readonly options: NodeRegistryOptions,
    private readonly logger: Logger,
  ) {}

  private get intervalMs(): number {
    return Math.max(200, Math.floor((this.options.nodeTtlSeconds * 1000) / 5));
  }

  private get aliveMs(): number {
    return Math.max(500, Math.floor(this.options.nodeTtlSeconds * 1000 * 0.6));
  }

  /**
   * Announces this node and starts beating and watching. Connections left under this node's id
   * by an earlier process with the same HERMES_NODE_ID are ghosts (this one holds no socket yet).
   */
  async start(onDeadConnection: DeadConnectionHandler): Promise<void> {
    await this.beat();
    await this.reap(this.nodeId, onDeadConnection);
    this.timer = setInterval(() => void this.tick(onDeadConnection), this.intervalMs);
    this.timer.unref();
  }

  /** One heartbeat: refreshes this node's key and its entry in the node list. */
  async beat(): Promise<void> {
    await this.redis.call('node heartbeat', async (client) => {
      await client
        .multi()
        .set(this.keys.nodeAlive(this.nodeId), String(Date.now()), 'PX', this.aliveMs)
        .zadd(this.keys.nodes, 'NX', Date.now(), this.nodeId)
        .exec();
    });
  }

  /** The nodes whose heartbeat key is present. */
  async liveNodes(): Promise<string[]> {
    return this.redis.call('list live nodes', async (client) => {
      const nodes = await client.zrange(this.keys.nodes, '0', '-1');
      if (nodes.length === 0) return [];
      const alive = await client.exists(...nodes.map((node) => this.keys.nodeAlive(node)));
      if (alive === nodes.length) return nodes;
      const flags = await Promise.all(nodes.map((node) => client.exists(this.keys.nodeAlive(node))));
      return nodes.filter((_, index) => flags[index] === 1);
    });
  }

  /** Finds the dead nodes and removes their connections (the one node holding a dead node's reaper lock does). */
  async sweepDeadNodes(onDeadConnection: DeadConnectionHandler): Promise<number> {
    const nodes = await this.redis.call('list nodes', (client) => client.zrange(this.keys.nodes, '0', '-1'));
    const live = new Set(await this.liveNodes());
    let reaped = 0;
    for (const node of nodes) {
      if (node === this.nodeId || live.has(node)) continue;
      const locked = await this.redis.call('lock a dead node', (client) =>
        client.set(this.keys.nodeReaper(node), this.nodeId, 'PX', this.options.nodeTtlSeconds * 1000, 'NX'),
      );
      if (locked !== 'OK') continue;
      const count = await this.reap(node, onDeadConnection);
      await this.redis.call('forget a dead node', (client) =>
        client.multi().zrem(this.keys.nodes, node).del(this.keys.nodeConnections(node)).exec(),
      );
      this.logger.warn('gateway node stopped beating; its connections were removed', { node, connections: count });
      reaped += 1;
    }
    return reaped;
  }

  /** Stops beating and leaves the node list (a graceful stop: its sockets were closed and `$disconnect` ran). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.redis
      .call('leave the node list', (client) =>
        client.multi().del(this.keys.nodeAlive(this.nodeId)).zrem(this.keys.nodes, this.nodeId).exec(),
      )
      .catch(() => undefined);
  }

  private async tick(onDeadConnection: DeadConnectionHandler): Promise<void> {
    if (this.ticking || !this.redis.isAvailable) return;
    this.ticking = true;
    try {
      await this.beat();
      await this.sweepDeadNodes(onDeadConnection);
    } catch (error) {
      // Redis going away is logged once by the connection; anything else is worth a line.
      if (this.redis.isAvailable) this.logger.warn('node heartbeat or sweep failed', { error: errorMessage(error) });
    } finally {
      this.ticking = false;
    }
  }

  /** Runs the handler for every connection recorded under `node`; returns how many there were. */
  private async reap(node: string, onDeadConnection: DeadConnectionHandler): Promise<number> {
    const ids = await this.redis.call('list a node’s connections', (client) => client.smembers(this.keys.nodeConnections(node)));
    for (let start = 0; start < ids.length; start += REAP_CHUNK) {
      await Promise.all(
        ids.slice(start, start + REAP_CHUNK).map((id) =>
          onDeadConnection(id).catch((error: unknown) => {
            this.logger.warn('could not remove a dead node’s connection', { node, connectionId: id, error: errorMessage(error) });
          }),
        ),
      );
    }
    return ids.length;
  }
}
