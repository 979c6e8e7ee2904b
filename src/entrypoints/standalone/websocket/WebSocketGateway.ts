import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { HasherBusyError } from '../../../adapters/bcrypt/WorkerPoolSecretHasher.js';
import type { LocalConnectionRegistry } from '../../../adapters/memory/LocalConnectionRegistry.js';
import type { Logger } from '../../../application/shared/ports/Logger.js';
import { errorMessage, errorName } from '../../../domain/shared/HermesError.js';
import type { WebSocketResult } from '../../lambda/shared/events.js';
import type { GatewayLimits } from '../config/gatewayConfig.js';
import { type ApiIdentity, upgradeRequestData, WebSocketEventFactory } from './eventFactory.js';
import type { GatewayApi } from './GatewayApi.js';
import { type ConnectionOwner, GatewayConnection } from './GatewayConnection.js';
import { hasIdentitySources } from './identitySources.js';
import { apiGatewayStyleId } from './ids.js';
import { evaluatePolicy } from './policyDecision.js';
import type { TokenBucket } from './TokenBucket.js';

export interface WebSocketGatewayOptions {
  readonly api: ApiIdentity;
  readonly limits: GatewayLimits;
  /** The routes, their integrations and the authorizer, read from the template. */
  readonly routes: GatewayApi;
  readonly registry: LocalConnectionRegistry;
  readonly logger: Logger;
  /** HERMES_NEW_CONNECTIONS_RPS: upgrades beyond it are answered 429. */
  readonly newConnections?: TokenBucket | undefined;
  /** False while a store the connect path needs is away (Redis): new connections get 503, open ones stay. */
  readonly isAvailable?: () => boolean;
}

const CONNECT = '$connect';
const DISCONNECT = '$disconnect';
const DEFAULT = '$default';
const GOING_AWAY = 1001;
/** API Gateway closes a connection that sends a binary frame with 1003 (unsupported data). */
const UNSUPPORTED_DATA = 1003;
const MESSAGE_TOO_BIG = 1009;
const WEBSOCKET_KEY = /^[+/0-9A-Za-z]{22}==$/;

function statusOf(result: unknown): number {
  return typeof result === 'object' && result !== null && typeof (result as WebSocketResult).statusCode === 'number'
    ? ((result as WebSocketResult).statusCode as number)
    : 200;
}

/** What a route response sends back: a string result as is, else the result's `body`, else the result as JSON. */
function replyBodyOf(result: unknown): string | undefined {
  if (result === undefined || result === null) return undefined;
  if (typeof result === 'string') return result;
  if (typeof result === 'object' && 'body' in result) {
    const body = (result as WebSocketResult).body;
    return typeof body === 'string' ? body : undefined;
  }
  if (typeof result === 'object' && 'statusCode' in result) return undefined;
  return JSON.stringify(result);
}

/** `Sec-WebSocket-Protocol` of a `$connect` integration's response headers (any casing). */
function subprotocolOf(result: unknown): string | undefined {
  const headers = typeof result === 'object' && result !== null ? (result as WebSocketResult).headers : undefined;
  if (!headers) return undefined;
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'sec-websocket-protocol');
  return entry === undefined ? undefined : String(entry[1]);
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

function errorText(error: unknown): string {
  return `${errorName(error)}: ${errorMessage(error)}`;
}

const TIMED_OUT: unique symbol = Symbol('timed out');

/** `task`, or {@link TIMED_OUT} once `ms` have passed (the task goes on; `late` sees how it ends). */
async function withDeadline<T>(task: Promise<T>, ms: number, late?: (result: T) => void): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      resolve(TIMED_OUT);
    }, ms);
  });
  void task.then(
    (result) => {
      if (timedOut) late?.(result);
    },
    () => undefined,
  );
  try {
    return await Promise.race([task, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Answers an upgrade request with a plain HTTP status, as API Gateway does on a refused `$connect`. */
function refuseUpgrade(socket: Duplex, status: number, message = STATUS_CODES[status] ?? 'Error'): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Shared by every upgrading socket (no closure each): an error before `ws` takes over drops it. */
function destroyOnError(this: Duplex): void {
  this.destroy();
}

function isWebSocketHandshake(req: IncomingMessage): boolean {
  const version = req.headers['sec-websocket-version'];
  return (
    req.method === 'GET' &&
    (req.headers.upgrade ?? '').toLowerCase() === 'websocket' &&
    WEBSOCKET_KEY.test(req.headers['sec-websocket-key'] ?? '') &&
    (version === '13' || version === '8')
  );
}

/**
 * The local stand-in for an API Gateway WebSocket API: `ws://host:port/{stage}?token=...` runs the
 * authorizer and `$connect` handlers before accepting, routes messages on `$request.body.action`,
 * enforces API Gateway's size and time limits, and runs `$disconnect` on every close.
 */
export class WebSocketGateway implements ConnectionOwner {
  private readonly wss: WebSocketServer;
  private readonly events: WebSocketEventFactory;
  private readonly connections = new Map<string, GatewayConnection>();
  /** The subprotocol the `$connect` integration chose, per upgrade request, for `ws`'s handshake. */
  private readonly subprotocols = new WeakMap<IncomingMessage, string>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly sweeper: NodeJS.Timeout;
  private closing = false;
  /** Authorizer invocations in flight, bounded by `limits.maxConcurrentAuthorizations`. */
  private authorizing = 0;

  constructor(private readonly options: WebSocketGatewayOptions) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.limits.maxMessageBytes,
      perMessageDeflate: false,
      clientTracking: false,
      // The 101 names the subprotocol `$connect` answered with, and none otherwise.
      handleProtocols: (_protocols, request) => this.subprotocols.get(request) ?? false,
    });
    this.events = new WebSocketEventFactory(options.api);
    const { idleTimeoutMs, hardTimeoutMs } = options.limits;
    const sweepEvery = Math.max(10, Math.min(1_000, Math.floor(Math.min(idleTimeoutMs, hardTimeoutMs) / 4)));
    this.sweeper = setInterval(() => this.sweep(), sweepEvery);
    this.sweeper.unref();
  }

  /** The open (or opening) connection with this id. */
  get(connectionId: string): GatewayConnection | undefined {
    return this.connections.get(connectionId);
  }

  get size(): number {
    return this.connections.size;
  }

  /** Ids of the connections held now. */
  connectionIds(): string[] {
    return [...this.connections.keys()];
  }

  /** The `upgrade` listener of the HTTP server. */
  readonly handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const task = this.upgrade(req, socket, head).catch((error: unknown) => {
      this.options.logger.error('upgrade failed', { error: errorText(error) });
      refuseUpgrade(socket, 500, 'Internal server error');
    });
    this.track(task);
  };

  /** Closes every connection with 1001 (terminating those that do not answer within `graceMs`) and waits for their `$disconnect`. */
  async close(graceMs = 2_000): Promise<void> {
    this.closing = true;
    clearInterval(this.sweeper);
    const all = [...this.connections.values()];
    for (const connection of all) connection.close(GOING_AWAY, 'Going away');
    const finished = Promise.all(all.map((c) => c.finished));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const connection of all) if (!connection.isClosed) connection.terminate();
    await finished;
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
    this.wss.close();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', destroyOnError);
    const url = new URL(req.url ?? '/', 'http://hermes.invalid');
    const path = url.pathname.replace(/\/+$/, '');
    if (path !== `/${this.options.api.stage}`) return refuseUpgrade(socket, 404, 'Not Found');
    if (this.closing) return refuseUpgrade(socket, 503, 'Service Unavailable');
    if (this.options.isAvailable?.() === false) return refuseUpgrade(socket, 503, 'Service Unavailable: Redis is unreachable');
    if (!isWebSocketHandshake(req)) return refuseUpgrade(socket, 400, 'Bad Request');

    if (this.options.newConnections && !this.options.newConnections.take()) {
      // HERMES_NEW_CONNECTIONS_RPS, as API Gateway's new-connections-per-second quota answers 429.
      return refuseUpgrade(socket, 429, 'Too Many Requests');
    }

    const request = upgradeRequestData(req, url);
    const connection = new GatewayConnection(apiGatewayStyleId(), Date.now(), request.identity.sourceIp, request.identity.userAgent, this);
    const { routes, logger, registry } = this.options;
    const { maxConcurrentAuthorizations, integrationTimeoutMs } = this.options.limits;
    const authorizer = routes.authorizer;

    if (authorizer) {
      if (!hasIdentitySources(authorizer.identitySources, request)) return refuseUpgrade(socket, 401, 'Unauthorized');
      if (maxConcurrentAuthorizations > 0 && this.authorizing >= maxConcurrentAuthorizations) {
        // Refused at once, as API Gateway throttles new connections over its rate with 429.
        logger.debug('connect refused: too many authorizations in flight', { inflight: this.authorizing });
        return refuseUpgrade(socket, 429, 'Too Many Requests');
      }
      const started = Date.now();
      let policy: unknown;
      this.authorizing += 1;
      try {
        policy = await withDeadline(authorizer.invoke(this.events.authorizer(connection, request)), integrationTimeoutMs);
      } catch (error) {
        // A Lambda authorizer that throws "Unauthorized" makes API Gateway answer 401; any other failure is a 500.
        const unauthorized = error instanceof Error && error.message === 'Unauthorized';
        if (error instanceof HasherBusyError) {
          logger.info('connect refused: the bcrypt pool is saturated', { error: error.message });
          return refuseUpgrade(socket, 429, 'Too Many Requests');
        }
        if (!unauthorized) logger.error('authorizer failed', { error: errorText(error) });
        return refuseUpgrade(socket, unauthorized ? 401 : 500, unauthorized ? 'Unauthorized' : 'Internal server error');
      } finally {
        this.authorizing -= 1;
      }
      if (policy === TIMED_OUT) {
        // API Gateway answers an authorizer that does not finish in time with 500 (AUTHORIZER_FAILURE).
        logger.error('authorizer timed out', { timeoutMs: integrationTimeoutMs });
        return refuseUpgrade(socket, 500, 'Internal server error');
      }
      const decision = evaluatePolicy(policy, this.events.connectMethodArn, Date.now() - started);
      if (decision.effect === 'Invalid') {
        logger.error('authorizer returned an invalid response', { problem: decision.problem });
        return refuseUpgrade(socket, 500, 'Internal server error');
      }
      if (decision.effect === 'Deny') return refuseUpgrade(socket, 403, 'Forbidden');
      connection.authorizer = decision.authorizer;
    }

    // Known before `$connect` runs (`@connections` answers 410 for it until the upgrade completes, as API Gateway does).
    this.connections.set(connection.id, connection);
    registry.register(connection.id, connection);
    const connect = routes.route(CONNECT);
    let result: unknown;
    if (connect) {
      try {
        result = await withDeadline(connect.invoke(this.events.connect(connection, request)), integrationTimeoutMs, (late) => {
          // `$connect` registered the connection after the client was refused: undo it.
          const status = statusOf(late);
          if (status >= 200 && status < 300) this.track(this.disconnectQuietly(connection, 'connect timed out'));
        });
      } catch (error) {
        // A Lambda proxy integration that fails is a 502 for the client, as API Gateway answers.
        logger.error('$connect failed', { connectionId: connection.id, error: errorText(error) });
        this.forget(connection);
        return refuseUpgrade(socket, 502, 'Internal server error');
      }
      if (result === TIMED_OUT) {
        // The integration timeout of API Gateway (29 s) answers 504.
        logger.error('$connect timed out', { connectionId: connection.id, timeoutMs: integrationTimeoutMs });
        this.forget(connection);
        return refuseUpgrade(socket, 504, 'Endpoint request timed out');
      }
      const status = statusOf(result);
      if (status < 200 || status >= 300) {
        this.forget(connection);
        return refuseUpgrade(socket, status);
      }
    }
    if (socket.destroyed || !socket.writable || this.closing) {
      refuseUpgrade(socket, 503, 'Service Unavailable');
      this.finish(connection, 1006, 'connection lost during $connect');
      return;
    }
    const subprotocol = subprotocolOf(result);
    if (subprotocol !== undefined) this.subprotocols.set(req, subprotocol);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open(connection, ws, socket));
  }

  private open(connection: GatewayConnection, ws: WebSocket, socket: Duplex): void {
    connection.attach(ws, socket, this.options.limits.maxFrameBytes, this.options.limits.maxBufferedBytes);
  }

  onSocketError(connection: GatewayConnection, error: Error): void {
    this.options.logger.debug('websocket error', { connectionId: connection.id, error: error.message });
  }

  onOversizeFrame(connection: GatewayConnection, frameBytes: number): void {
    const limit = this.options.limits.maxFrameBytes;
    this.options.logger.info('frame too large; closing', { connectionId: connection.id, frameBytes, limit });
    connection.close(MESSAGE_TOO_BIG, 'Frame size limit exceeded');
  }

  onClose(connection: GatewayConnection, code: number, reason: string): void {
    this.finish(connection, code, reason);
  }

  onMessage(connection: GatewayConnection, data: RawData, isBinary: boolean): void {
    if (!connection.isOpen) return;
    if (isBinary) {
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-binary-media-types.html
      connection.close(UNSUPPORTED_DATA, 'Binary frames are not supported');
      return;
    }
    const body = toBuffer(data).toString('utf8');
    const { routes, logger } = this.options;
    const selected = routes.selectRoute(body);
    const route = (selected !== undefined && !selected.startsWith('$') ? routes.route(selected) : undefined) ?? routes.route(DEFAULT);
    if (!route) {
      // No matching route and no $default: API Gateway answers the sender with Forbidden.
      void connection.deliver(JSON.stringify({ message: 'Forbidden', connectionId: connection.id, requestId: apiGatewayStyleId() }));
      return;
    }
    const event = this.events.message(connection, route.routeKey, body);
    const reply = (payload: Record<string, string>): void => {
      void connection.deliver(JSON.stringify({ ...payload, connectionId: connection.id, requestId: event.requestContext.requestId }));
    };
    const task = withDeadline(route.invoke(event), this.options.limits.integrationTimeoutMs).then(
      (result) => {
        if (result === TIMED_OUT) {
          // The integration timeout (29 s): the client is told, and the late result is dropped.
          logger.error('route integration timed out', { routeKey: route.routeKey, connectionId: connection.id });
          reply({ message: 'Endpoint request timed out' });
          return;
        }
        if (!route.routeResponse) return;
        const body = replyBodyOf(result);
        // deliver never rejects: its outcome is only of interest to the notifier.
        if (body !== undefined) void connection.deliver(body);
      },
      (error: unknown) => {
        logger.error('route handler failed', { routeKey: route.routeKey, connectionId: connection.id, error: errorText(error) });
        // What API Gateway sends back when an integration fails.
        reply({ message: 'Internal server error' });
      },
    );
    this.track(task);
  }

  /** Runs `$disconnect` once per accepted connection, whatever closed it. */
  private finish(connection: GatewayConnection, code: number, reason: string): void {
    if (!connection.markClosed()) return;
    this.connections.delete(connection.id);
    this.options.registry.unregister(connection.id);
    const task = this.invokeDisconnect(connection, code, reason)
      .catch((error: unknown) => {
        this.options.logger.error('$disconnect failed', { connectionId: connection.id, error: errorText(error) });
      })
      .finally(() => connection.markFinished());
    this.track(task);
  }

  /** The `$disconnect` integration, when the API has one. */
  private async invokeDisconnect(connection: GatewayConnection, code: number, reason: string): Promise<unknown> {
    const route = this.options.routes.route(DISCONNECT);
    return route ? route.invoke(this.events.disconnect(connection, code, reason)) : undefined;
  }

  /** Runs `$disconnect` for a connection the client never got (its `$connect` answered too late). */
  private async disconnectQuietly(connection: GatewayConnection, reason: string): Promise<void> {
    try {
      await this.invokeDisconnect(connection, 1006, reason);
    } catch (error) {
      this.options.logger.warn('$disconnect after a late $connect failed', { connectionId: connection.id, error: errorText(error) });
    }
  }

  /** Drops a connection whose `$connect` did not succeed (API Gateway sends no `$disconnect` then). */
  private forget(connection: GatewayConnection): void {
    connection.markClosed();
    this.connections.delete(connection.id);
    this.options.registry.unregister(connection.id);
    connection.markFinished();
  }

  private sweep(): void {
    const now = Date.now();
    const { idleTimeoutMs, hardTimeoutMs } = this.options.limits;
    for (const connection of this.connections.values()) {
      if (!connection.isOpen) continue;
      if (now - connection.connectedAt >= hardTimeoutMs || now - connection.lastActiveAt >= idleTimeoutMs) {
        connection.close(GOING_AWAY, 'Going away');
      }
    }
  }

  private track(task: Promise<unknown>): void {
    this.inflight.add(task);
    void task.finally(() => this.inflight.delete(task));
  }
}
