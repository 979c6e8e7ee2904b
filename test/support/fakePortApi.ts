import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadPortRequestSchemas, type PortOperation } from './portRequestSchemas.js';

/**
 * A local stand-in for Port's REST API (https://api.getport.io/v1): client-credential tokens with
 * `expiresIn`, entities, blueprints, actions, run updates and run logs. The token, run update, run
 * log and entity upsert requests are validated against Port's own request schemas
 * (test/fixtures/port/port-api-request-schemas.json: body, query and path parameters) and refused
 * with 422 `{ ok: false, error: 'invalid_request', message }` as Port does; every other route
 * wants a Bearer token. Faults (429/500 with headers) and per-request latency can be injected;
 * every request is counted.
 */

export type FakePortRoute =
  | 'auth'
  | 'createBlueprint'
  | 'updateBlueprint'
  | 'createAction'
  | 'updateAction'
  | 'upsertEntity'
  | 'deleteEntity'
  | 'patchRun'
  | 'addRunLog'
  | 'unknown';

export interface FakePortCall {
  readonly route: FakePortRoute;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** When the request arrived (ms since epoch). */
  readonly at: number;
}

export interface FakeRun {
  status?: string;
  statusLabel?: string;
  summary?: string;
  link?: unknown;
  externalRunId?: string;
  readonly logs: string[];
  patches: number;
  /** Log lines that carried a `terminationStatus`. */
  terminations: number;
}

export interface FakeEntity {
  readonly blueprint: string;
  readonly identifier: string;
  /** The entity as Port keeps it: the last body, merged into the one before with `merge=true`. */
  readonly body: Record<string, unknown>;
  readonly runId: string | undefined;
  readonly upsert: boolean;
  readonly merge: boolean;
}

/** A request refused because it does not fit Port's request schema. */
export interface SchemaViolation {
  readonly route: FakePortRoute;
  readonly problem: string;
}

export interface InjectedFault {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Only requests of this route fail (default: any route). */
  readonly route?: FakePortRoute;
}

export interface FakePortApiOptions {
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** `expiresIn` of issued tokens, in seconds (Port: 10800). */
  readonly tokenTtlSeconds?: number;
  /** Delay before every answer, auth included. */
  readonly latencyMs?: number;
  /** Answer 404 to updates and logs of runs not registered with `registerRun`. */
  readonly knownRunsOnly?: boolean;
}

export interface FakePortApi {
  /** Base URL with `/v1`, as PORT_API_URL. */
  readonly url: string;
  readonly credentials: { readonly clientId: string; readonly clientSecret: string };
  readonly calls: readonly FakePortCall[];
  /** Requests refused with 422 for not fitting Port's request schemas (a test expects none). */
  readonly violations: readonly SchemaViolation[];
  readonly runs: ReadonlyMap<string, FakeRun>;
  readonly entities: ReadonlyMap<string, FakeEntity>;
  readonly blueprints: ReadonlyMap<string, Record<string, unknown>>;
  readonly actions: ReadonlyMap<string, Record<string, unknown>>;
  /** Number of calls of `route` (all routes when omitted). */
  count(route?: FakePortRoute): number;
  /** The next `times` matching requests answer with `fault` instead. */
  failNext(fault: InjectedFault, times?: number): void;
  setLatency(ms: number): void;
  /** Every issued token stops being accepted (as if expired). */
  revokeTokens(): void;
  registerRun(runId: string): void;
  /** Calls `listener` with every request once answered; returns a function that removes it. */
  onCall(listener: (call: FakePortCall) => void): () => void;
  /** Resolves when `predicate` holds (checked on every request and every 20 ms). */
  waitFor(what: string, predicate: () => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const IDENTIFIER = /^(?!\.{1,2}$)[A-Za-z0-9@_.+:\\/=-]+$/;

const SCHEMAS = loadPortRequestSchemas();

/** The routes Port's request schemas cover, and the path parameters each names. */
const OPERATIONS: Partial<Record<FakePortRoute, { operation: PortOperation; path: (parts: string[]) => Record<string, string> }>> = {
  auth: { operation: 'create-an-access-token', path: () => ({}) },
  patchRun: { operation: 'update-an-action-run', path: (parts) => ({ run_id: decodeURIComponent(parts[2] ?? '') }) },
  addRunLog: { operation: 'add-a-log-to-an-action-run', path: (parts) => ({ run_id: decodeURIComponent(parts[2] ?? '') }) },
  upsertEntity: { operation: 'create-an-entity', path: (parts) => ({ blueprint_identifier: decodeURIComponent(parts[1] ?? '') }) },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Port's `merge=true`: properties and relations given replace those kept one by one; the others stay. */
function merged(kept: Record<string, unknown>, body: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...kept, ...body };
  for (const key of ['properties', 'relations']) {
    const before = kept[key];
    const after = body[key];
    if (isRecord(before) && isRecord(after)) result[key] = { ...before, ...after };
  }
  return result;
}

export async function startFakePortApi(options: FakePortApiOptions = {}): Promise<FakePortApi> {
  const credentials = {
    clientId: options.clientId ?? 'fake-client-id',
    clientSecret: options.clientSecret ?? `fake-secret-${randomBytes(6).toString('hex')}`,
  };
  const ttlSeconds = options.tokenTtlSeconds ?? 10_800;
  let latencyMs = options.latencyMs ?? 0;
  const tokens = new Map<string, number>();
  const calls: FakePortCall[] = [];
  const violations: SchemaViolation[] = [];
  const runs = new Map<string, FakeRun>();
  const knownRuns = new Set<string>();
  const entities = new Map<string, FakeEntity>();
  const blueprints = new Map<string, Record<string, unknown>>();
  const actions = new Map<string, Record<string, unknown>>();
  const faults: Array<InjectedFault & { remaining: number }> = [];
  const listeners = new Set<() => void>();
  const callListeners = new Set<(call: FakePortCall) => void>();

  const run = (runId: string): FakeRun => {
    let found = runs.get(runId);
    if (!found) {
      found = { logs: [], patches: 0, terminations: 0 };
      runs.set(runId, found);
    }
    return found;
  };

  const routeOf = (method: string, parts: string[]): FakePortRoute => {
    const path = parts.join('/');
    if (method === 'POST' && path === 'auth/access_token') return 'auth';
    if (method === 'POST' && path === 'blueprints') return 'createBlueprint';
    if (method === 'PUT' && parts[0] === 'blueprints' && parts.length === 2) return 'updateBlueprint';
    if (method === 'POST' && path === 'actions') return 'createAction';
    if (method === 'PUT' && parts[0] === 'actions' && parts.length === 2) return 'updateAction';
    if (method === 'POST' && parts[0] === 'blueprints' && parts[2] === 'entities' && parts.length === 3) return 'upsertEntity';
    if (method === 'DELETE' && parts[0] === 'blueprints' && parts[2] === 'entities' && parts.length === 4) return 'deleteEntity';
    if (method === 'PATCH' && parts[0] === 'actions' && parts[1] === 'runs' && parts.length === 3) return 'patchRun';
    if (method === 'POST' && parts[0] === 'actions' && parts[1] === 'runs' && parts[3] === 'logs' && parts.length === 4) {
      return 'addRunLog';
    }
    return 'unknown';
  };

  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
    res.end(text);
    return status;
  };

  /** The request's JSON (undefined when there is none or it does not parse). */
  const readJson = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (chunks.length === 0) return undefined;
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  };

  const authorized = (req: IncomingMessage): boolean => {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    const expiresAt = match?.[1] === undefined ? undefined : tokens.get(match[1]);
    return expiresAt !== undefined && expiresAt > Date.now();
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, route: FakePortRoute, parts: string[], url: URL): Promise<number> => {
    const json = await readJson(req);
    const schema = OPERATIONS[route];
    if (schema !== undefined && (route === 'auth' || authorized(req))) {
      const problem = SCHEMAS.problem(schema.operation, {
        body: json,
        query: Object.fromEntries(url.searchParams),
        path: schema.path(parts),
      });
      if (problem !== undefined) {
        violations.push({ route, problem });
        return answer(res, 422, { ok: false, error: 'invalid_request', message: problem });
      }
    }
    const body = isRecord(json) ? json : undefined;
    if (route === 'auth') {
      if (body?.['clientId'] !== credentials.clientId || body['clientSecret'] !== credentials.clientSecret) {
        return answer(res, 401, { ok: false, error: 'unauthorized', message: 'invalid credentials' });
      }
      const accessToken = `fake-token-${randomBytes(12).toString('hex')}`;
      tokens.set(accessToken, Date.now() + ttlSeconds * 1000);
      return answer(res, 200, { ok: true, accessToken, expiresIn: ttlSeconds, tokenType: 'Bearer' });
    }
    if (route === 'unknown') return answer(res, 404, { ok: false, error: 'not_found', message: 'no such route' });
    if (!authorized(req)) return answer(res, 401, { ok: false, error: 'unauthorized', message: 'invalid or expired token' });
    if (route === 'deleteEntity') {
      // https://docs.port.io/api-reference/delete-an-entity: DELETE /v1/blueprints/{blueprint}/entities/{entity}, no body; 404 when absent.
      const key = `${decodeURIComponent(parts[1] ?? '')}/${decodeURIComponent(parts[3] ?? '')}`;
      if (!entities.delete(key)) return answer(res, 404, { ok: false, error: 'not_found', message: 'entity not found' });
      return answer(res, 200, { ok: true });
    }
    if (body === undefined) return answer(res, 422, { ok: false, error: 'invalid_request', message: 'body must be a JSON object' });

    switch (route) {
      case 'createBlueprint':
      case 'createAction': {
        const store = route === 'createBlueprint' ? blueprints : actions;
        const identifier = body['identifier'];
        if (typeof identifier !== 'string' || !IDENTIFIER.test(identifier)) {
          return answer(res, 422, { ok: false, error: 'invalid_request', message: 'identifier is invalid' });
        }
        if (store.has(identifier)) return answer(res, 409, { ok: false, error: 'identifier_taken', message: 'already exists' });
        store.set(identifier, body);
        return answer(res, 201, { ok: true });
      }
      case 'updateBlueprint':
      case 'updateAction': {
        const store = route === 'updateBlueprint' ? blueprints : actions;
        const identifier = decodeURIComponent(parts[1] ?? '');
        if (!store.has(identifier)) return answer(res, 404, { ok: false, error: 'not_found', message: 'no such definition' });
        store.set(identifier, body);
        return answer(res, 200, { ok: true });
      }
      case 'upsertEntity': {
        const blueprint = decodeURIComponent(parts[1] ?? '');
        const identifier = body['identifier'];
        // The schema lets an entity without identifier through (Port then makes one up); hermes always names it.
        if (typeof identifier !== 'string') {
          return answer(res, 422, { ok: false, error: 'invalid_request', message: 'entity identifier is missing' });
        }
        const upsert = url.searchParams.get('upsert') === 'true';
        const merge = url.searchParams.get('merge') === 'true';
        const key = `${blueprint}/${identifier}`;
        const kept = entities.get(key);
        if (!upsert && kept !== undefined) return answer(res, 409, { ok: false, error: 'identifier_taken', message: 'entity exists' });
        const entity = merge && kept !== undefined ? merged(kept.body, body) : body;
        entities.set(key, { blueprint, identifier, body: entity, runId: url.searchParams.get('run_id') ?? undefined, upsert, merge });
        return answer(res, 201, { ok: true, entity });
      }
      case 'patchRun':
      case 'addRunLog': {
        const runId = decodeURIComponent(parts[2] ?? '');
        if (options.knownRunsOnly && !knownRuns.has(runId)) {
          return answer(res, 404, { ok: false, error: 'not_found', message: 'run not found' });
        }
        if (route === 'addRunLog') {
          const target = run(runId);
          target.logs.push(String(body['message']));
          // A log line may end the run (`terminationStatus`), as a PATCH would.
          if (typeof body['terminationStatus'] === 'string') {
            target.status = body['terminationStatus'];
            target.terminations += 1;
          }
          if (typeof body['statusLabel'] === 'string') target.statusLabel = body['statusLabel'];
          return answer(res, 201, { ok: true });
        }
        const status = body['status'];
        const target = run(runId);
        target.patches += 1;
        if (typeof status === 'string') target.status = status;
        if (typeof body['statusLabel'] === 'string') target.statusLabel = body['statusLabel'];
        if (typeof body['summary'] === 'string') target.summary = body['summary'];
        if (body['link'] !== undefined) target.link = body['link'];
        if (typeof body['externalRunId'] === 'string') target.externalRunId = body['externalRunId'];
        return answer(res, 200, { ok: true });
      }
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const at = Date.now();
      const url = new URL(req.url ?? '/', 'http://fake-port.invalid');
      const parts = url.pathname.split('/').filter(Boolean);
      const method = req.method ?? 'GET';
      const route = parts[0] === 'v1' ? routeOf(method, parts.slice(1)) : 'unknown';
      if (latencyMs > 0) await sleep(latencyMs);
      let status: number;
      const fault = faults.find((candidate) => candidate.remaining > 0 && (candidate.route === undefined || candidate.route === route));
      if (fault) {
        fault.remaining -= 1;
        req.resume();
        status = answer(res, fault.status, fault.body ?? { ok: false, error: 'injected', message: 'injected fault' }, { ...fault.headers });
      } else {
        status = await serve(req, res, route, parts.slice(1), url);
      }
      const call: FakePortCall = { route, method, path: url.pathname, status, at };
      calls.push(call);
      for (const listener of callListeners) listener(call);
      for (const listener of listeners) listener();
    })().catch((error: unknown) => {
      if (!res.headersSent) answer(res, 500, { ok: false, error: 'internal_error', message: String(error) });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    credentials,
    calls,
    violations,
    runs,
    entities,
    blueprints,
    actions,
    count: (route) => (route === undefined ? calls.length : calls.filter((call) => call.route === route).length),
    failNext: (fault, times = 1) => {
      faults.push({ ...fault, remaining: times });
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    revokeTokens: () => tokens.clear(),
    onCall: (listener) => {
      callListeners.add(listener);
      return () => callListeners.delete(listener);
    },
    registerRun: (runId) => {
      knownRuns.add(runId);
    },
    waitFor: (what, predicate, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!predicate()) return;
          cleanup();
          resolve();
        };
        const interval = setInterval(check, 20);
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake Port API: ${what} did not happen within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearInterval(interval);
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
