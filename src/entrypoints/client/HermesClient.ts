/**
 * A typed client of the hermes WebSocket API, for browsers and Node alike (no Node built-ins).
 * It connects with a token, reconnects with exponential backoff and jitter, and dispatches every
 * notification to the subscribers of its `type` (the seed's `subscribers` callbacks). It remembers
 * the last `seq`/`epoch` it delivered and resumes from there after every reconnection, so each
 * notification reaches the subscribers once and in seq order; what the room's history no longer
 * holds is reported to `onGap` listeners. It gives up,
 * with an error its listeners can show, when the gateway keeps refusing the token, when the token
 * provider refuses for good, and it refuses to send a message the gateway would close the socket for.
 */

import { errorMessage } from '../../domain/shared/HermesError.js';
import { formatBytes, type MessageLimits, maxSendableBytes } from './messageLimits.js';
import { type HermesGap, type HermesResumed, RoomSequence } from './roomSequence.js';

export { formatBytes, type MessageLimits, maxSendableBytes } from './messageLimits.js';
export type { HermesGap, HermesResumed } from './roomSequence.js';

/** A notification as hermes sends it. */
export interface HermesNotification<TData = unknown> {
  readonly id: string;
  readonly type: string;
  readonly room_id: string;
  readonly user_id: string | null;
  readonly sent_at: string;
  readonly data: TData;
  /** Per room, +1 per notification (absent on ephemeral ones such as `presence.join`). */
  readonly seq?: number;
  /** The history epoch `seq` belongs to. */
  readonly epoch?: string;
}

/** One user of the room, as the `presence` reply lists them. */
export interface HermesPresenceUser {
  readonly user_id: string;
  readonly connections: number;
  readonly connected_at: string;
}

/** `{"type":"presence","room_id","users":[...]}`: who is in the room. */
export interface HermesPresence {
  readonly room_id: string;
  readonly users: readonly HermesPresenceUser[];
}

/**
 * An error for the client's error listeners: one the gateway answered a message with (unknown
 * action, invalid message, internal error), or one of the client's own (`CLIENT_ERROR_CODES`).
 */
export interface HermesErrorReply {
  readonly code: string;
  readonly message: string;
  readonly known_actions?: readonly string[];
  /** The HTTP status of a refused upgrade, when the WebSocket implementation reports it (`ws` does, browsers never do). */
  readonly status?: number;
  /** `CONNECTION_REFUSED`: how many attempts in a row were refused. */
  readonly attempts?: number;
}

/** Codes of the errors the client reports itself. */
export const CLIENT_ERROR_CODES = {
  /** Every one of `maxFailedHandshakes` attempts in a row closed before it opened: the client gave up. */
  CONNECTION_REFUSED: 'CONNECTION_REFUSED',
  /** The token provider threw an error whose `retryable` is false: the client gave up. */
  TOKEN_REFUSED: 'TOKEN_REFUSED',
  /** A message larger than the gateway accepts was not sent (or, without configured limits, the gateway closed with 1009). */
  MESSAGE_TOO_LARGE: 'MESSAGE_TOO_LARGE',
} as const;

/** What accompanies a state change: the delay before a reconnection, the close code, why the client gave up. */
export interface StateDetail {
  readonly delayMs?: number;
  readonly code?: number;
  /** Set on `closed` when the client gave up on its own: the error it reported. */
  readonly error?: HermesErrorReply;
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
  /**
   * Attempts in a row that close before the socket opens after which the client gives up with
   * `CONNECTION_REFUSED` (default 3). A browser shows a refused upgrade (401, 403) only as a close
   * with code 1006 before `open`, exactly like an unreachable server, so this is how refusals end.
   */
  readonly maxFailedHandshakes?: number;
  /**
   * Asked after an attempt closed before opening: false means the gateway is unreachable (network
   * down, server restarting), which does not count towards `maxFailedHandshakes` — the client keeps
   * reconnecting. Without it every such attempt counts.
   */
  readonly isReachable?: () => Promise<boolean>;
  /** Messages over these limits are not sent: `send` returns false and `MESSAGE_TOO_LARGE` is reported. */
  readonly limits?: MessageLimits;
  readonly random?: () => number;
  readonly timers?: Timers;
  /** How long notifications wait for a hole before them to fill before the client asks to resume (default 500 ms). */
  readonly holeTimeoutMs?: number;
}

type NotificationCallback = (data: unknown, notification: HermesNotification) => void;
type StateListener = (state: ConnectionState, detail?: StateDetail) => void;

const OPEN = 1;
const ANY_TYPE = '*';
const MESSAGE_TOO_BIG = 1009;
const DEFAULT_HOLE_TIMEOUT_MS = 500;
export const DEFAULT_MAX_FAILED_HANDSHAKES = 3;

/** Duck-typed so that any error saying it is not retryable counts, hermes' `PermanentError` and `DomainError` included. */
function isPermanentFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === false;
}

/** The status in the `ws` package's "Unexpected server response: 403"; browsers give none. */
function upgradeStatusOf(event: unknown): number | undefined {
  const message = typeof event === 'object' && event !== null ? (event as { message?: unknown }).message : undefined;
  const match = typeof message === 'string' ? /Unexpected server response: (\d{3})/.exec(message) : null;
  return match ? Number(match[1]) : undefined;
}

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
  private failedHandshakes = 0;
  private lastUpgradeStatus: number | undefined;
  private reconnectTimer: unknown;
  private stopped = false;
  private readonly subscribers = new Map<string, Set<NotificationCallback>>();
  private readonly errorListeners = new Set<(error: HermesErrorReply) => void>();
  private readonly stateListeners = new Set<StateListener>();
  private readonly gapListeners = new Set<(gap: HermesGap) => void>();
  private readonly resumedListeners = new Set<(resumed: HermesResumed) => void>();
  private readonly presenceListeners = new Set<(presence: HermesPresence) => void>();
  private readonly sequence = new RoomSequence<HermesNotification>();
  /** True from a reconnection's open until its `resumed`. */
  private reconnected = false;
  private everOpened = false;
  private holeTimer: unknown;
  private holeResumeSent = false;
  private readonly policy: ReconnectPolicy | undefined;
  private readonly maxFailedHandshakes: number;
  private readonly maxSendBytes: number;
  private readonly random: () => number;
  private readonly timers: Timers;
  private readonly WebSocketImpl: WebSocketConstructor;

  constructor(private readonly options: HermesClientOptions) {
    this.policy = options.reconnect === false ? undefined : { ...DEFAULT_RECONNECT, ...options.reconnect };
    this.random = options.random ?? Math.random;
    this.timers = options.timers ?? defaultTimers;
    this.maxFailedHandshakes = options.maxFailedHandshakes ?? DEFAULT_MAX_FAILED_HANDSHAKES;
    this.maxSendBytes = maxSendableBytes(options.limits);
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
    this.failedHandshakes = 0;
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

  /**
   * Errors the gateway answers with (e.g. an unknown action), and the client's own
   * (`CLIENT_ERROR_CODES`: it gave up connecting, or did not send a message too large).
   */
  onError(listener: (error: HermesErrorReply) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** State changes; `reconnecting` carries the delay before the next attempt, `closed` why the client gave up. */
  onStateChange(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Notifications the room's history could no longer replay after a reconnection (or a hole): `from`..`to` are lost. */
  onGap(listener: (gap: HermesGap) => void): () => void {
    this.gapListeners.add(listener);
    return () => this.gapListeners.delete(listener);
  }

  /** Each completed resume: `recovered` missed notifications were delivered again (`reconnected`: after a reconnection). */
  onResumed(listener: (resumed: HermesResumed) => void): () => void {
    this.resumedListeners.add(listener);
    return () => this.resumedListeners.delete(listener);
  }

  /** Replies to {@link requestPresence}: who is in the room. */
  onPresence(listener: (presence: HermesPresence) => void): () => void {
    this.presenceListeners.add(listener);
    return () => this.presenceListeners.delete(listener);
  }

  /** Asks who is in the room (route `presence`); the answer goes to `onPresence` listeners. False when not connected. */
  requestPresence(): boolean {
    return this.sendRaw({ action: 'presence' });
  }

  /** The last `seq`/`epoch` delivered to the subscribers, from which the next reconnection resumes. */
  get position(): { readonly seq: number; readonly epoch: string } | undefined {
    return this.sequence.position;
  }

  /** Sends `data` to the room (route `sendMessage`). False when not connected or over the size limits. */
  send(data: unknown, options: { readonly type?: string } = {}): boolean {
    return this.sendRaw({ action: 'sendMessage', ...(options.type ? { type: options.type } : {}), data });
  }

  /**
   * Sends any JSON message (its `action` selects the route). False when not connected, or when the
   * message is over the size limits: then it is not sent (the gateway would close the connection
   * with 1009) and `MESSAGE_TOO_LARGE` is reported to the error listeners.
   */
  sendRaw(message: Record<string, unknown>): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN || this.currentState !== 'open') return false;
    const text = JSON.stringify(message);
    // UTF-8 takes at most 3 bytes per UTF-16 unit: short messages need no encoding to be measured.
    if (text.length * 3 > this.maxSendBytes) {
      const bytes = new TextEncoder().encode(text).length;
      if (bytes > this.maxSendBytes) {
        this.emitError({
          code: CLIENT_ERROR_CODES.MESSAGE_TOO_LARGE,
          message: `the message is ${formatBytes(bytes)}; the gateway accepts at most ${formatBytes(this.maxSendBytes)}, so it was not sent`,
        });
        return false;
      }
    }
    socket.send(text);
    return true;
  }

  private async open(): Promise<void> {
    this.setState(this.attempts === 0 ? 'connecting' : 'reconnecting');
    let token: string;
    try {
      token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    } catch (error) {
      if (this.stopped) return;
      if (isPermanentFailure(error)) return this.giveUp({ code: CLIENT_ERROR_CODES.TOKEN_REFUSED, message: errorMessage(error) });
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) return;
    const separator = this.options.url.includes('?') ? '&' : '?';
    const socket = new this.WebSocketImpl(`${this.options.url}${separator}token=${encodeURIComponent(token)}`);
    this.socket = socket;
    this.lastUpgradeStatus = undefined;
    let opened = false;
    this.setState('connecting');
    socket.onopen = () => {
      if (socket !== this.socket) return;
      opened = true;
      this.attempts = 0;
      this.failedHandshakes = 0;
      this.setState('open');
      // Recovery is a message after connecting (AWS refuses posts during $connect). The first
      // connection asks only where the room stands, so a reconnection before any notification has a `since`.
      this.reconnected = this.everOpened;
      this.everOpened = true;
      this.sendRaw({ ...this.sequence.resumeRequest() });
    };
    socket.onmessage = (event: { data: unknown }) => {
      if (socket === this.socket) this.dispatch(event.data);
    };
    socket.onerror = (event: unknown) => {
      // Always followed by a close event, which decides what happens next.
      if (socket === this.socket && !opened) this.lastUpgradeStatus = upgradeStatusOf(event);
    };
    socket.onclose = (event: { code?: number }) => {
      if (socket !== this.socket) return;
      this.socket = undefined;
      if (this.stopped) return;
      if (opened) {
        if (event.code === MESSAGE_TOO_BIG) {
          this.emitError({
            code: CLIENT_ERROR_CODES.MESSAGE_TOO_LARGE,
            message: 'the gateway closed the connection: a message was larger than it accepts',
          });
        }
        this.scheduleReconnect(event.code);
        return;
      }
      void this.afterFailedHandshake(event.code);
    };
  }

  /**
   * An attempt closed before it opened. Browsers never say why (a 403 and an unreachable host both
   * look like 1006), so refusals are counted, skipping those `isReachable` attributes to the network.
   */
  private async afterFailedHandshake(code: number | undefined): Promise<void> {
    const status = this.lastUpgradeStatus;
    let reachable = true;
    if (this.options.isReachable) {
      try {
        reachable = await this.options.isReachable();
      } catch {
        reachable = false;
      }
    }
    if (this.stopped) return;
    if (reachable) this.failedHandshakes += 1;
    if (this.failedHandshakes >= this.maxFailedHandshakes) {
      const times = this.failedHandshakes === 1 ? 'once' : `${this.failedHandshakes} times in a row`;
      const why = status === undefined ? '' : ` (HTTP ${status})`;
      return this.giveUp(
        {
          code: CLIENT_ERROR_CODES.CONNECTION_REFUSED,
          message: `the gateway refused the connection${why} ${times}: the token is invalid, expired or not for this gateway`,
          attempts: this.failedHandshakes,
          ...(status === undefined ? {} : { status }),
        },
        code,
      );
    }
    this.scheduleReconnect(code);
  }

  private giveUp(error: HermesErrorReply, code?: number): void {
    this.stopped = true;
    this.emitError(error);
    this.setState('closed', { error, ...(code === undefined ? {} : { code }) });
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
      this.deliver(this.sequence.accept(message));
      this.watchHole();
      return;
    }
    if (this.dispatchRecovery(message)) return;
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

  private deliver(notifications: readonly HermesNotification[]): void {
    for (const notification of notifications) {
      for (const key of [notification.type, ANY_TYPE]) {
        for (const callback of this.subscribers.get(key) ?? []) callback(notification.data, notification);
      }
    }
  }

  /** `gap`, `resumed` and `presence` replies; false for anything else. */
  private dispatchRecovery(message: Record<string, unknown>): boolean {
    const roomId = typeof message['room_id'] === 'string' ? message['room_id'] : '';
    const epoch = typeof message['epoch'] === 'string' ? message['epoch'] : null;
    if (message['type'] === 'gap' && typeof message['from'] === 'number' && typeof message['to'] === 'number') {
      const gap: HermesGap = { room_id: roomId, from: message['from'], to: message['to'], epoch };
      this.deliver(this.sequence.gap(gap));
      for (const listener of this.gapListeners) listener(gap);
      return true;
    }
    if (message['type'] === 'resumed' && typeof message['seq'] === 'number') {
      const { deliver, recovered } = this.sequence.resumed(message['seq'], epoch);
      this.deliver(deliver);
      const resumed: HermesResumed = { room_id: roomId, seq: message['seq'], epoch, recovered, reconnected: this.reconnected };
      this.reconnected = false;
      this.holeResumeSent = false;
      for (const listener of this.resumedListeners) listener(resumed);
      this.watchHole();
      return true;
    }
    if (message['type'] === 'presence' && Array.isArray(message['users'])) {
      const presence: HermesPresence = { room_id: roomId, users: message['users'] as HermesPresenceUser[] };
      for (const listener of this.presenceListeners) listener(presence);
      return true;
    }
    return false;
  }

  /**
   * Notifications held behind a hole wait a moment (a concurrent broadcast may overtake another);
   * then the client resumes to fetch the hole, and if that does not fill it, delivers what it holds.
   */
  private watchHole(): void {
    if (!this.sequence.hasHole) {
      if (this.holeTimer !== undefined) this.timers.clearTimeout(this.holeTimer);
      this.holeTimer = undefined;
      return;
    }
    if (this.holeTimer !== undefined) return;
    this.holeTimer = this.timers.setTimeout(() => {
      this.holeTimer = undefined;
      if (!this.sequence.hasHole) return;
      if (!this.holeResumeSent && this.sendRaw({ ...this.sequence.resumeRequest() })) {
        this.holeResumeSent = true;
        this.watchHole();
        return;
      }
      this.holeResumeSent = false;
      this.deliver(this.sequence.flush());
    }, this.options.holeTimeoutMs ?? DEFAULT_HOLE_TIMEOUT_MS);
  }

  private emitError(error: HermesErrorReply): void {
    for (const listener of this.errorListeners) listener(error);
  }

  private setState(state: ConnectionState, detail?: StateDetail): void {
    if (state === this.currentState && detail === undefined) return;
    this.currentState = state;
    for (const listener of this.stateListeners) listener(state, detail);
  }
}
