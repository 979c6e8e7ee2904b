import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage } from '../../domain/shared/HermesError.js';
import { PortAuthenticationError } from '../../application/runs/errors/PortAuthenticationError.js';
import { PortRequestRejectedError } from '../../application/runs/errors/PortRequestRejectedError.js';
import { PortUnavailableError } from '../../application/runs/errors/PortUnavailableError.js';
import type { PortApi, PortEntity, RunUpdate, UpsertEntityOptions } from '../../application/runs/ports/PortApi.js';
import type { JsonObject, PortCatalog, UpsertDisposition } from '../../application/runs/ports/PortCatalog.js';
import type { Logger } from '../../application/shared/ports/Logger.js';
import type { TerminalRunStatus } from '../../domain/runs/RunStatus.js';
import { DEFAULT_PORT_API_URL, withoutCredentials } from './portApiUrl.js';
import { redactUrl } from '../../domain/shared/redactUrl.js';
import { fetchTransport, HttpTimeoutError, type HttpTransport } from './HttpTransport.js';
import { NodeHttpTransport } from './NodeHttpTransport.js';
import { PortTokenCache } from './PortTokenCache.js';
import { backoffDelay, isRetryableStatus, retryAfterFromHeaders } from './retryPolicy.js';

export { DEFAULT_PORT_API_URL };

export interface PortCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface PortApiClientOptions {
  /** `PORT_API_URL`; `/v1` is appended when missing. */
  readonly baseUrl?: string;
  /** Resolved on the first token request (from the environment or Secrets Manager). */
  readonly credentials: () => Promise<PortCredentials>;
  readonly logger?: Logger;
  /** Attempts per request, the first included (network errors, 429 and 5xx are retried). Default 4. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** A `retry-after` longer than this is not waited for here: the error carries it to the caller. Default 30 s. */
  readonly maxRetryAfterMs?: number;
  readonly requestTimeoutMs?: number;
  readonly tokenRefreshMarginMs?: number;
  /** Sends the requests. Default: `NodeHttpTransport` (kept-alive `node:http`/`node:https` connections). */
  readonly transport?: HttpTransport;
  /** A `fetch` to send the requests with instead (tests script one); ignored when `transport` is given. */
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly operation: string;
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string>>;
  /** Statuses returned to the caller instead of raised (e.g. 409 to switch from POST to PUT). */
  readonly passThrough?: readonly number[];
  /** The token endpoint itself is not authenticated. */
  readonly anonymous?: boolean;
}

interface PortResponse {
  readonly status: number;
  readonly body: unknown;
}

const PORT_MESSAGE_MAX = 300;

function normalizeBaseUrl(raw: string): string {
  const trimmed = raw.replace(/\/+$/, '');
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}

function portErrorOf(body: unknown): { error?: string; message?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const { error, message } = body as { error?: unknown; message?: unknown };
  return {
    ...(typeof error === 'string' && { error }),
    ...(typeof message === 'string' && {
      message: message.length > PORT_MESSAGE_MAX ? `${message.slice(0, PORT_MESSAGE_MAX)}…` : message,
    }),
  };
}

function parsedBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The query of an entity upsert: `upsert` (Port requires it), `merge` only with `upsert`, `run_id`. */
function upsertQuery(options: UpsertEntityOptions): Record<string, string> {
  const upsert = options.upsert ?? true;
  return {
    upsert: String(upsert),
    ...(upsert && { merge: String(options.merge ?? true) }),
    ...(options.runId !== undefined && { run_id: options.runId }),
  };
}

/**
 * Port's REST API over kept-alive HTTP connections (`NodeHttpTransport`). One access token is fetched and cached until shortly before
 * `expiresIn` (concurrent callers share the request; a 401 refreshes it once). Network errors, 429 and
 * 5xx are retried with exponential backoff and jitter, honouring `retry-after` / `x-ratelimit-reset`;
 * then `PortUnavailableError`. Other refusals raise `PortRequestRejectedError`. Tokens and credentials
 * never reach a log line or an error message.
 */
export class PortApiClient implements PortApi, PortCatalog {
  readonly baseUrl: string;
  private readonly origin: URL;
  /** The path of `baseUrl` (`/v1`), which every request's path follows. */
  private readonly basePath: string;
  private readonly tokens: PortTokenCache;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly requestTimeoutMs: number;
  private readonly transport: HttpTransport;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private tokenRequests = 0;

  constructor(private readonly options: PortApiClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl ?? DEFAULT_PORT_API_URL);
    this.origin = new URL(this.baseUrl);
    this.basePath = this.origin.pathname.replace(/\/+$/, '');
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 8_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.transport = options.transport ?? (options.fetch !== undefined ? fetchTransport(options.fetch) : new NodeHttpTransport().send);
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
    this.random = options.random ?? Math.random;
    this.tokens = new PortTokenCache(() => this.issueToken(), {
      ...(options.tokenRefreshMarginMs !== undefined && { refreshMarginMs: options.tokenRefreshMarginMs }),
    });
  }

  /** How many access tokens this client has requested (for metrics and benchmarks). */
  get tokenRequestCount(): number {
    return this.tokenRequests;
  }

  async upsertEntity(blueprint: string, entity: PortEntity, options: UpsertEntityOptions = {}): Promise<void> {
    await this.call({
      method: 'POST',
      path: `/blueprints/${encodeURIComponent(blueprint)}/entities`,
      operation: `upsert entity ${blueprint}/${entity.identifier}`,
      query: upsertQuery(options),
      body: entity,
    });
  }

  async deleteEntity(blueprint: string, identifier: string, options: { readonly runId?: string } = {}): Promise<void> {
    try {
      await this.call({
        method: 'DELETE',
        path: `/blueprints/${encodeURIComponent(blueprint)}/entities/${encodeURIComponent(identifier)}`,
        operation: `delete entity ${blueprint}/${identifier}`,
        query: options.runId !== undefined ? { run_id: options.runId } : {},
      });
    } catch (error) {
      // Deleting is idempotent: a retried run finds the entity gone.
      if (error instanceof PortRequestRejectedError && error.status === 404) return;
      throw error;
    }
  }

  async updateRun(runId: string, update: RunUpdate): Promise<void> {
    await this.call({
      method: 'PATCH',
      path: `/actions/runs/${encodeURIComponent(runId)}`,
      operation: `update run ${runId}`,
      body: update,
    });
  }

  async addRunLog(runId: string, message: string, terminationStatus?: TerminalRunStatus): Promise<void> {
    await this.call({
      method: 'POST',
      path: `/actions/runs/${encodeURIComponent(runId)}/logs`,
      operation: terminationStatus === undefined ? `add a log to run ${runId}` : `end run ${runId} with a log line (${terminationStatus})`,
      body: { message, ...(terminationStatus !== undefined && { terminationStatus }) },
    });
  }

  upsertBlueprint(blueprint: JsonObject & { readonly identifier: string }): Promise<UpsertDisposition> {
    return this.createOrReplace('/blueprints', 'blueprint', blueprint);
  }

  upsertAction(action: JsonObject & { readonly identifier: string }): Promise<UpsertDisposition> {
    return this.createOrReplace('/actions', 'action', action);
  }

  private async createOrReplace(
    collection: string,
    kind: string,
    definition: JsonObject & { readonly identifier: string },
  ): Promise<UpsertDisposition> {
    const created = await this.call({
      method: 'POST',
      path: collection,
      operation: `create ${kind} ${definition.identifier}`,
      body: definition,
      passThrough: [409],
    });
    if (created.status !== 409) return 'created';
    await this.call({
      method: 'PUT',
      path: `${collection}/${encodeURIComponent(definition.identifier)}`,
      operation: `update ${kind} ${definition.identifier}`,
      body: definition,
    });
    return 'updated';
  }

  private async issueToken(): Promise<{ accessToken: string; expiresInSeconds: number }> {
    const credentials = await this.options.credentials();
    this.tokenRequests += 1;
    let response: PortResponse;
    try {
      response = await this.send(
        {
          method: 'POST',
          path: '/auth/access_token',
          operation: 'get an access token',
          body: { clientId: credentials.clientId, clientSecret: credentials.clientSecret },
          anonymous: true,
          passThrough: [400, 401, 403, 404, 422],
        },
        undefined,
      );
    } catch (error) {
      if (error instanceof PortUnavailableError) throw error;
      throw new PortAuthenticationError(undefined, errorMessage(error), this.tokenUrl());
    }
    if (response.status >= 400) {
      const portError = portErrorOf(response.body);
      throw new PortAuthenticationError(
        response.status,
        `HTTP ${response.status}${portError.error ? ` ${portError.error}` : ''}`,
        this.tokenUrl(),
      );
    }
    const body = response.body as { accessToken?: unknown; expiresIn?: unknown } | undefined;
    if (typeof body?.accessToken !== 'string' || body.accessToken === '') {
      throw new PortAuthenticationError(response.status, 'the response has no accessToken', this.tokenUrl());
    }
    const expiresIn = typeof body.expiresIn === 'number' && body.expiresIn > 0 ? body.expiresIn : 300;
    return { accessToken: body.accessToken, expiresInSeconds: expiresIn };
  }

  /** An authenticated call: on 401 the token is refreshed once and the call repeated. */
  private async call(spec: RequestSpec): Promise<PortResponse> {
    let token = await this.tokens.get();
    const first = await this.send(spec, token);
    if (first.status !== 401) return first;
    this.tokens.invalidate(token);
    token = await this.tokens.get();
    const second = await this.send(spec, token);
    if (second.status !== 401) return second;
    this.tokens.invalidate(token);
    throw new PortAuthenticationError(401, `a fresh token was refused to ${spec.operation}`, this.tokenUrl());
  }

  /** The token endpoint, without any credentials embedded in `PORT_API_URL`: safe for an error message. */
  private tokenUrl(): string {
    return withoutCredentials(`${this.baseUrl}/auth/access_token`);
  }

  /**
   * One request with its retries. Resolves with 2xx, 401 and `passThrough` statuses; raises
   * PortUnavailableError after the retries, PortRequestRejectedError for other statuses.
   */
  private async send(spec: RequestSpec, token: string | undefined): Promise<PortResponse> {
    const query = spec.query === undefined ? '' : new URLSearchParams(spec.query).toString();
    const path = `${this.basePath}${spec.path}${query === '' ? '' : `?${query}`}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);

    for (let attempt = 1; ; attempt++) {
      let failure: { status: number | undefined; detail: string; retryAfterMs: number | undefined };
      try {
        const response = await this.transport({
          method: spec.method,
          origin: this.origin,
          path,
          headers,
          ...(payload !== undefined && { body: payload }),
          timeoutMs: this.requestTimeoutMs,
        });
        const body = parsedBody(response.text);
        const status = response.status;
        if ((status >= 200 && status < 300) || (status === 401 && !spec.anonymous) || spec.passThrough?.includes(status)) {
          return { status, body };
        }
        const portError = portErrorOf(body);
        if (!isRetryableStatus(status)) {
          throw new PortRequestRejectedError(spec.operation, status, portError.error, portError.message);
        }
        failure = {
          status,
          detail: `HTTP ${status}${portError.error ? ` ${portError.error}` : ''}`,
          retryAfterMs: retryAfterFromHeaders(response.headers),
        };
      } catch (error) {
        if (error instanceof PortRequestRejectedError) throw error;
        failure = { status: undefined, detail: this.describeNetworkError(error), retryAfterMs: undefined };
      }

      const tooLong = failure.retryAfterMs !== undefined && failure.retryAfterMs > this.maxRetryAfterMs;
      if (attempt >= this.maxAttempts || tooLong) {
        throw new PortUnavailableError(
          spec.operation,
          failure.status,
          `${failure.detail} after ${attempt} attempt${attempt === 1 ? '' : 's'}`,
          failure.retryAfterMs,
        );
      }
      const delay = Math.max(
        failure.retryAfterMs ?? 0,
        backoffDelay(attempt, { baseDelayMs: this.baseDelayMs, maxDelayMs: this.maxDelayMs, random: this.random }),
      );
      this.options.logger?.debug('Retrying a Port API request', {
        operation: spec.operation,
        status: failure.status,
        failure: failure.detail,
        attempt,
        delayMs: delay,
      });
      await this.sleep(delay);
    }
  }

  private describeNetworkError(error: unknown): string {
    if (error instanceof Error) {
      if (error instanceof HttpTimeoutError || error.name === 'TimeoutError') return `no answer within ${this.requestTimeoutMs} ms`;
      const cause = (error as { cause?: { code?: unknown } }).cause;
      const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
      // fetch's messages may quote the URL, userinfo included (PORT_API_URL=https://user:pass@...).
      return redactUrl(`${error.message}${code}`);
    }
    return redactUrl(errorMessage(error));
  }
}
