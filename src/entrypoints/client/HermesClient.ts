/**
 * A typed client of the hermes WebSocket API, for browsers and Node alike (no Node built-ins).
 * It connects with a token, reconnects with exponential backoff and jitter, and dispatches every
 * notification to the subscribers of its `type` (the seed's `subscribers` callbacks).
 */

/** A notification as hermes sends it. */
export interface HermesNotification<TData = unknown> {
  readonly id: string;
  readonly type: string;
  readonly room_id: string;
  readonly user_id: string | null;
  readonly sent_at: string;
  readonly data: TData;
}

/** An error the gateway answered a message with (unknown action, invalid message, internal error). */
export interface HermesErrorReply {
  readonly code: string;
  readonly message: string;
  readonly known_actions?: readonly string[];
}

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The part of the WebSocket API the client uses: the browser's `WebSocket`, Node 22's, or the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface ReconnectPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
  /** Consecutive failed attempts after which the client gives up (state `closed`). */
  readonly maxAttempts: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  maxAttempts: Number.POSITIVE_INFINITY,
};

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface HermesClientOptions {
  /** `ws(s)://host/{stage}`; the token is added as `?token=`. */
  readonly url: string;
  /** A token, or a function asked for a fresh one before every (re)connection. */
  readonly token: string | (() => string | Promise<string>);
  /** Defaults to `globalThis.WebSocket` (browsers, Node 22); pass `ws`'s `WebSocket` on Node 20. */
  readonly WebSocket?: WebSocketConstructor;
  /** `false` disables reconnection. */
  readonly reconnect?: Partial<ReconnectPolicy> | false;
  readonly random?: () => number;
  readonly timers?: Timers;
}

type NotificationCallback = (data: unknown, notification: HermesNotification) => void;

const OPEN = 1;
const ANY_TYPE = '*';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNotification(value: Record<string, unknown>): value is Record<string, unknown> & HermesNotification {
  return typeof value['type'] === 'string' && typeof value['room_id'] === 'string' && 'data' in value;
}

const defaultTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

export class HermesClient {
  private socket: WebSocketLike | undefined;
  private currentState: ConnectionState = 'idle';
  private attempts = 0;
  private reconnectTimer: unknown;
  private stopped = false;
  private readonly subscribers = new Map<string, Set<NotificationCallback>>();
  private readonly errorListeners = new Set<(error: HermesErrorReply) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState, detail?: { delayMs?: number; code?: number }) => void>();
  private readonly policy: ReconnectPolicy | undefined;
  private readonly random: () => number;
  private readonly timers: Timers;
  private readonly WebSocketImpl: WebSocketConstructor;

  constructor(private readonly options: HermesClientOptions) {
    this.policy = options.reconnect === false ? undefined : { ...DEFAULT_RECONNECT, ...options.reconnect };
    this.random = options.random ?? Math.random;
    this.timers = options.timers ?? defaultTimers;
    const impl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!impl) throw new Error('no WebSocket implementation: pass options.WebSocket (e.g. the "ws" package)');
    this.WebSocketImpl = impl;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** Opens the connection (and keeps it open, reconnecting as needed, until `close()`). */
  connect(): void {
    if (this.currentState === 'connecting' || this.currentState === 'open') return;
    this.stopped = false;
    this.attempts = 0;
    void this.open();
  }

  /** Closes the connection for good: no reconnection follows. */
  close(): void {
    this.stopped = true;
    if (this.reconnectTimer !== undefined) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000, 'client closed');
    this.setState('closed');
  }

  /** Calls `callback(data, notification)` for every notification of `type` (`'*'`: every type). Returns an unsubscribe function. */
  subscribe<TData = unknown>(type: string, callback: (data: TData, notification: HermesNotification<TData>) => void): () => void {
    let set = this.subscribers.get(type);
    if (!set) {
      set = new Set();
      this.subscribers.set(type, set);
    }
    const entry = callback as NotificationCallback;
    set.add(entry);
    return () => set.delete(entry);
  }

  /** Errors the gateway answers with (e.g. an unknown action). */
  onError(listener: (error: HermesErrorReply) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** State changes; `reconnecting` carries the delay before the next attempt. */
  onStateChange(listener: (state: ConnectionState, detail?: { delayMs?: number; code?: number }) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Sends `data` to the room (route `sendMessage`). False when not connected. */
  send(data: unknown, options: { readonly type?: string } = {}): boolean {
    return this.sendRaw({ action: 'sendMessage', ...(options.type ? { type: options.type } : {}), data });
  }

  /** Sends any JSON message (its `action` selects the route). False when not connected. */
  sendRaw(message: Record<string, unknown>): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN || this.currentState !== 'open') return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  private async open(): Promise<void> {
    this.setState(this.attempts === 0 ? 'connecting' : 'reconnecting');
    let token: string;
    try {
      token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    } catch {
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) return;
    const separator = this.options.url.includes('?') ? '&' : '?';
    const socket = new this.WebSocketImpl(`${this.options.url}${separator}token=${encodeURIComponent(token)}`);
    this.socket = socket;
    this.setState('connecting');
    socket.onopen = () => {
      if (socket !== this.socket) return;
      this.attempts = 0;
      this.setState('open');
    };
    socket.onmessage = (event: { data: unknown }) => {
      if (socket === this.socket) this.dispatch(event.data);
    };
    socket.onerror = () => {
      // Always followed by a close event, which decides what happens next.
    };
    socket.onclose = (event: { code?: number }) => {
      if (socket !== this.socket) return;
      this.socket = undefined;
      if (this.stopped) return;
      this.scheduleReconnect(event.code);
    };
  }

  private scheduleReconnect(code?: number): void {
    const policy = this.policy;
    if (!policy || this.attempts >= policy.maxAttempts) {
      this.stopped = true;
      this.setState('closed', code === undefined ? undefined : { code });
      return;
    }
    const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** this.attempts);
    // "Equal jitter": at least half the ceiling, so a crowd of clients spreads out without hammering the server.
    const delayMs = Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
    this.attempts += 1;
    this.setState('reconnecting', { delayMs, ...(code === undefined ? {} : { code }) });
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.stopped) void this.open();
    }, delayMs);
  }

  private dispatch(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    if (!isRecord(message)) return;
    if (isNotification(message)) {
      for (const key of [message.type, ANY_TYPE]) {
        for (const callback of this.subscribers.get(key) ?? []) callback(message.data, message);
      }
      return;
    }
    const error = message['error'];
    if (isRecord(error) && typeof error['code'] === 'string') {
      this.emitError({
        code: error['code'],
        message: typeof error['message'] === 'string' ? error['message'] : error['code'],
        ...(Array.isArray(error['known_actions']) ? { known_actions: error['known_actions'].map(String) } : {}),
      });
    } else if (typeof message['message'] === 'string') {
      // API Gateway's own answer when an integration fails: {"message": "Internal server error", ...}.
      this.emitError({ code: 'GATEWAY_ERROR', message: message['message'] });
    }
  }

  private emitError(error: HermesErrorReply): void {
    for (const listener of this.errorListeners) listener(error);
  }

  private setState(state: ConnectionState, detail?: { delayMs?: number; code?: number }): void {
    if (state === this.currentState && detail === undefined) return;
    this.currentState = state;
    for (const listener of this.stateListeners) listener(state, detail);
  }
}
