import type { ConnectionNotifier, DeliveryOutcome } from '../../application/notifications/ports/ConnectionNotifier.js';
import type { ConnectionId } from '../../domain/connection/ConnectionId.js';
import { errorMessage } from '../../domain/shared/HermesError.js';
import type { LocalConnectionRegistry } from '../memory/LocalConnectionRegistry.js';
import type { ConnectionLocations } from './ConnectionLocations.js';
import type { RedisConnection } from './RedisConnection.js';
import type { RedisKeys } from './RedisKeys.js';
import type { RedisNodeBus } from './RedisNodeBus.js';

const GONE: DeliveryOutcome = { status: 'gone' };
const DELIVERED: DeliveryOutcome = { status: 'delivered' };

interface Batch {
  readonly ids: string[];
  readonly settle: Array<(outcome: DeliveryOutcome) => void>;
}

/**
 * Delivers to the sockets of every node: this node's directly, another node's through Redis
 * pub/sub. Sends to one node made in the same turn of the event loop with the same payload (a
 * broadcast's concurrent sends) travel as one PUBLISH carrying their ids. "delivered" for another
 * node's socket means that node took it; a connection its node no longer holds was already removed
 * by its `$disconnect`, and a node that does not listen any more is reported "failed" until it is
 * found dead and its connections are removed (`RedisNodeRegistry`).
 */
export class RedisConnectionNotifier implements ConnectionNotifier {
  private pending = new Map<string, Map<string, Batch>>();
  private flushScheduled = false;

  constructor(
    private readonly registry: LocalConnectionRegistry,
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly bus: RedisNodeBus,
    private readonly locations: ConnectionLocations,
  ) {}

  send(connectionId: ConnectionId, payload: string): DeliveryOutcome | Promise<DeliveryOutcome> {
    const sink = this.registry.get(connectionId.value);
    return sink ? sink.deliver(payload) : this.sendToOtherNode(connectionId.value, payload);
  }

  private async sendToOtherNode(id: string, payload: string): Promise<DeliveryOutcome> {
    const node = this.locations.nodeOf(id) ?? (await this.ownerOf(id));
    if (node === undefined || node === this.bus.nodeId) return GONE;
    return new Promise<DeliveryOutcome>((settle) => this.enqueue(node, id, payload, settle));
  }

  /** The node that saved the connection, read from its record (undefined: no such connection). */
  private async ownerOf(id: string): Promise<string | undefined> {
    const node = await this.redis.call('find the node of a connection', (client) => client.hget(this.keys.connection(id), 'node'));
    if (node) this.locations.remember(id, node);
    return node ?? undefined;
  }

  private enqueue(node: string, id: string, payload: string, settle: (outcome: DeliveryOutcome) => void): void {
    let byPayload = this.pending.get(node);
    if (!byPayload) {
      byPayload = new Map();
      this.pending.set(node, byPayload);
    }
    let batch = byPayload.get(payload);
    if (!batch) {
      batch = { ids: [], settle: [] };
      byPayload.set(payload, batch);
    }
    batch.ids.push(id);
    batch.settle.push(settle);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    const pending = this.pending;
    this.pending = new Map();
    this.flushScheduled = false;
    for (const [node, byPayload] of pending) {
      for (const [payload, batch] of byPayload) void this.publish(node, payload, batch);
    }
  }

  private async publish(node: string, payload: string, batch: Batch): Promise<void> {
    let outcome: DeliveryOutcome;
    try {
      const receivers = await this.bus.deliverTo(node, batch.ids, payload);
      outcome = receivers > 0 ? DELIVERED : { status: 'failed', reason: `node ${node} is not listening` };
    } catch (error) {
      outcome = { status: 'failed', reason: errorMessage(error) };
    }
    for (const settle of batch.settle) settle(outcome);
  }
}
