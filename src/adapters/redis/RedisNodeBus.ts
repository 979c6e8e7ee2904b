import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../../application/shared/ports/Logger.js';
import { errorMessage } from '../../domain/shared/HermesError.js';
import type { RedisConnection } from './RedisConnection.js';
import type { RedisKeys } from './RedisKeys.js';

/** What `GET @connections/{id}` tells about a connection (API Gateway's GetConnection). */
export interface RemoteConnectionInfo {
  readonly connectedAt: number;
  readonly lastActiveAt: number;
  readonly sourceIp: string;
  readonly userAgent?: string;
}

export type ConnectionCall = 'post' | 'get' | 'delete';

/** The answer of the node holding a connection: `ok` false means it does not hold it (410 GoneException). */
export interface ConnectionCallResult {
  readonly ok: boolean;
  readonly info?: RemoteConnectionInfo;
}

/** What a node does with the messages other nodes send it. */
export interface NodeBusHandlers {
  /** Writes `payload` to each of these sockets of this node (those it no longer holds are skipped). */
  deliver(connectionIds: readonly string[], payload: string): void;
  /** An `@connections` call made on another node for a socket of this one. */
  call(operation: ConnectionCall, connectionId: string, payload: string | undefined): Promise<ConnectionCallResult>;
}

type BusMessage =
  | { readonly k: 'deliver'; readonly ids: readonly string[]; readonly p: string }
  | {
      readonly k: 'call';
      readonly op: ConnectionCall;
      readonly id: string;
      readonly p?: string;
      readonly rid: string;
      readonly from: string;
    }
  | { readonly k: 'reply'; readonly rid: string; readonly ok: boolean; readonly info?: RemoteConnectionInfo };

const CALL_TIMEOUT_MS = 5_000;

/**
 * The nodes' pub/sub: every node subscribes to its own channel; a broadcast sends one message per
 * node with the ids of its sockets, and `@connections` calls travel as request and reply.
 */
export class RedisNodeBus {
  private subscriber: Redis | undefined;
  private readonly waiting = new Map<string, (result: ConnectionCallResult) => void>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    readonly nodeId: string,
    private readonly logger: Logger,
  ) {}

  /** Subscribes to this node's channel (ioredis subscribes again after every reconnect). */
  async start(handlers: NodeBusHandlers): Promise<void> {
    if (this.subscriber) return;
    const subscriber = this.redis.duplicate('hermes-node-bus', { enableOfflineQueue: true });
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, raw: string) => this.onMessage(raw, handlers));
    await subscriber.subscribe(this.keys.nodeChannel(this.nodeId));
  }

  /** Hands `payload` to `nodeId` for these sockets; resolves with the number of nodes that received it (0: it is not listening). */
  deliverTo(nodeId: string, connectionIds: readonly string[], payload: string): Promise<number> {
    const message: BusMessage = { k: 'deliver', ids: connectionIds, p: payload };
    return this.redis.call('deliver to another node', (client) => client.publish(this.keys.nodeChannel(nodeId), JSON.stringify(message)));
  }

  /** Runs an `@connections` call on the node holding the connection; undefined when it does not answer in time. */
  async call(nodeId: string, operation: ConnectionCall, connectionId: string, payload?: string): Promise<ConnectionCallResult | undefined> {
    const rid = randomUUID();
    const message: BusMessage = {
      k: 'call',
      op: operation,
      id: connectionId,
      rid,
      from: this.nodeId,
      ...(payload !== undefined ? { p: payload } : {}),
    };
    const answered = new Promise<ConnectionCallResult | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(rid);
        resolve(undefined);
      }, CALL_TIMEOUT_MS);
      this.waiting.set(rid, (result) => {
        clearTimeout(timer);
        this.waiting.delete(rid);
        resolve(result);
      });
    });
    const receivers = await this.redis.call('call another node', (client) =>
      client.publish(this.keys.nodeChannel(nodeId), JSON.stringify(message)),
    );
    if (receivers === 0) this.waiting.get(rid)?.({ ok: false });
    return answered;
  }

  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = undefined;
    for (const resolve of [...this.waiting.values()]) resolve({ ok: false });
  }

  private onMessage(raw: string, handlers: NodeBusHandlers): void {
    let message: BusMessage;
    try {
      message = JSON.parse(raw) as BusMessage;
    } catch {
      return;
    }
    if (message.k === 'deliver') handlers.deliver(message.ids, message.p);
    else if (message.k === 'reply') this.waiting.get(message.rid)?.({ ok: message.ok, ...(message.info ? { info: message.info } : {}) });
    else if (message.k === 'call') void this.answer(message, handlers);
  }

  private async answer(message: Extract<BusMessage, { k: 'call' }>, handlers: NodeBusHandlers): Promise<void> {
    let result: ConnectionCallResult;
    try {
      result = await handlers.call(message.op, message.id, message.p);
    } catch (error) {
      this.logger.warn('@connections call from another node failed', { operation: message.op, error: errorMessage(error) });
      result = { ok: false };
    }
    const reply: BusMessage = { k: 'reply', rid: message.rid, ok: result.ok, ...(result.info ? { info: result.info } : {}) };
    await this.redis
      .call('reply to another node', (client) => client.publish(this.keys.nodeChannel(message.from), JSON.stringify(reply)))
      .catch(() => 0);
  }
}
