import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { DeliveryOutcome } from '../../../application/notifications/ports/ConnectionNotifier.js';
import type { LocalConnectionSink } from '../../../adapters/memory/LocalConnectionRegistry.js';
import type { WebSocketAuthorizerData, WebSocketIdentity } from '../../lambda/shared/events.js';
import { type FrameListener, FrameWatcher } from './frameWatcher.js';

const DELIVERED: DeliveryOutcome = { status: 'delivered' };
const GONE: DeliveryOutcome = { status: 'gone' };
const OPEN = 1;
const TEXT_FRAME = { binary: false } as const;
/** Policy violation: the client reads slower than the room speaks. */
export const SLOW_CONSUMER_CLOSE = { code: 1008, reason: 'slow consumer' } as const;

/**
 * A broadcast hands every recipient the same string: it is encoded to UTF-8 once, not once per
 * socket (the last payload and its bytes are kept; a different payload replaces them).
 */
let lastPayload = '';
let lastBytes = Buffer.alloc(0);
function utf8Of(payload: string): Buffer {
  if (payload !== lastPayload) {
    lastBytes = Buffer.from(payload, 'utf8');
    lastPayload = payload;
  }
  return lastBytes;
}

/** What the gateway does with the events of one of its connections. */
export interface ConnectionOwner {
  onMessage(connection: GatewayConnection, data: RawData, isBinary: boolean): void;
  onClose(connection: GatewayConnection, code: number, reason: string): void;
  onSocketError(connection: GatewayConnection, error: Error): void;
  onOversizeFrame(connection: GatewayConnection, frameBytes: number): void;
}

/*
 * The `ws` listeners are shared functions (`this` is the socket) that find the connection in a
 * WeakMap: tens of thousands of connections then cost no closures.
 */
const bySocket = new WeakMap<WebSocket, GatewayConnection>();
function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  const connection = bySocket.get(this);
  connection?.owner.onMessage(connection, data, isBinary);
}
function onClose(this: WebSocket, code: number, reason: Buffer): void {
  const connection = bySocket.get(this);
  connection?.owner.onClose(connection, code, reason.toString('utf8'));
}
function onError(this: WebSocket, error: Error): void {
  const connection = bySocket.get(this);
  connection?.owner.onSocketError(connection, error);
}

type State = 'connecting' | 'open' | 'closing' | 'closed';

/**
 * One client connection of the local gateway, from the upgrade request to `$disconnect`. It is the
 * in-process notifier's sink. A notification sent while `$connect` still runs is refused as gone, as
 * API Gateway answers 410 then (BroadcastToRoom keeps such young connections).
 */
export class GatewayConnection implements LocalConnectionSink, FrameListener {
  lastActiveAt: number;
  authorizer: WebSocketAuthorizerData = {};
  private socket: WebSocket | undefined;
  private maxBufferedBytes = Number.POSITIVE_INFINITY;
  private state: State = 'connecting';
  /** Built only when someone waits for the end (a shutdown): most connections never need it. */
  private finishedPromise: Promise<void> | undefined;
  private resolveFinished: (() => void) | undefined;
  private hasFinished = false;

  constructor(
    readonly id: string,
    readonly connectedAt: number,
    private readonly sourceIp: string,
    private readonly userAgent: string | undefined,
    readonly owner: ConnectionOwner,
  ) {
    this.lastActiveAt = connectedAt;
  }

  /** `requestContext.identity`, and the `Identity` of `GET @connections`. */
  get identity(): WebSocketIdentity {
    return { sourceIp: this.sourceIp, ...(this.userAgent ? { userAgent: this.userAgent } : {}) };
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Resolves once `$disconnect` has run for this connection. */
  get finished(): Promise<void> {
    if (this.hasFinished) return Promise.resolve();
    this.finishedPromise ??= new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
    return this.finishedPromise;
  }

  deliver(payload: string): DeliveryOutcome {
    if (this.state === 'open') {
      const socket = this.socket as WebSocket;
      if (socket.readyState !== OPEN) return GONE;
      const bytes = utf8Of(payload);
      // What the client has not read yet stays in this process: past the bound, the client goes (it can resume).
      if (socket.bufferedAmount + bytes.length > this.maxBufferedBytes) {
        this.close(SLOW_CONSUMER_CLOSE.code, SLOW_CONSUMER_CLOSE.reason);
        return GONE;
      }
      socket.send(bytes, TEXT_FRAME);
      return DELIVERED;
    }
    return GONE;
  }

  /** The upgrade completed: listens to the socket. */
  attach(socket: WebSocket, raw: Duplex, maxFrameBytes: number, maxBufferedBytes = Number.POSITIVE_INFINITY): void {
    if (this.state !== 'connecting') return;
    this.socket = socket;
    this.maxBufferedBytes = maxBufferedBytes;
    this.state = 'open';
    bySocket.set(socket, this);
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.on('error', onError);
    FrameWatcher.watch(raw, maxFrameBytes, this);
  }

  onClientFrame(): void {
    this.lastActiveAt = Date.now();
  }

  onOversizeFrame(frameBytes: number): void {
    this.owner.onOversizeFrame(this, frameBytes);
  }

  /** Starts the close handshake (1001 for timeouts and shutdown, 1009 for oversize frames, 1008 for slow consumers). */
  close(code: number, reason: string): void {
    if (this.state !== 'open') return;
    this.state = 'closing';
    this.socket?.close(code, reason);
  }

  /** Drops the TCP connection without a handshake. */
  terminate(): void {
    this.socket?.terminate();
  }

  /** Marks the connection closed; true the first time only, so `$disconnect` runs once. */
  markClosed(): boolean {
    if (this.state === 'closed') return false;
    this.state = 'closed';
    return true;
  }

  markFinished(): void {
    this.hasFinished = true;
    this.resolveFinished?.();
  }
}
