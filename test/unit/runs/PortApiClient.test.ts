import { expect } from 'chai';
import { PortApiClient, type PortApiClientOptions } from '../../../src/adapters/port/PortApiClient.js';
import { PortTokenCache } from '../../../src/adapters/port/PortTokenCache.js';
import { backoffDelay, retryAfterFromHeaders } from '../../../src/adapters/port/retryPolicy.js';
import { PortAuthenticationError } from '../../../src/application/runs/errors/PortAuthenticationError.js';
import { PortRequestRejectedError } from '../../../src/application/runs/errors/PortRequestRejectedError.js';
import { PortUnavailableError } from '../../../src/application/runs/errors/PortUnavailableError.js';
import { RecordingLogger } from './support.js';

interface SeenRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

type Responder = (request: SeenRequest) => Response | Promise<Response>;

const SECRET = 'client-secret-do-not-leak';

/** A fetch that answers from `respond` and records every request. */
function scriptedFetch(respond: Responder): { fetch: typeof fetch; requests: SeenRequest[] } {
  const requests: SeenRequest[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request: SeenRequest = {
      method: init?.method ?? 'GET',
      url: new URL(input instanceof Request ? input.url : input),
      headers: { ...(init?.headers as Record<string, string>) },
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    };
    requests.push(request);
    return respond(request);
  };
  return { fetch: fake, requests };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

let issued = 0;
function tokenResponse(expiresIn = 10_800): Response {
  issued += 1;
  return json(200, { ok: true, accessToken: `token-${issued}`, expiresIn, tokenType: 'Bearer' });
}

const isAuth = (request: SeenRequest): boolean => request.url.pathname.endsWith('/auth/access_token');

function client(respond: Responder, options: Partial<PortApiClientOptions> = {}) {
  const scripted = scriptedFetch(respond);
  const sleeps: number[] = [];
  const logger = new RecordingLogger();
  const api = new PortApiClient({
    baseUrl: 'https://port.test/v1',
    credentials: async () => ({ clientId: 'client-id', clientSecret: SECRET }),
    fetch: scripted.fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
    logger,
    ...options,
  });
  return { api, requests: scripted.requests, sleeps, logger };
}

async function rejection<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    return error as T;
  }
  throw new Error(`expected a ${type.name}`);
}

describe('PortApiClient', () => {
  describe('access tokens', () => {
    it('requests one token for many concurrent callers and reuses it', async () => {
      const { api, requests } = client(async (request) => {
        if (isAuth(request)) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return tokenResponse();
        }
        return json(200, { ok: true });
      });
      await Promise.all(Array.from({ length: 25 }, (_, i) => api.addRunLog(`run_${i}`, 'hello')));
      await api.updateRun('run_0', { status: 'SUCCESS' });
      const auth = requests.filter(isAuth);
      expect(auth).to.have.length(1);
      expect(auth[0]?.body).to.deep.equal({ clientId: 'client-id', clientSecret: SECRET });
      const bearers = new Set(requests.filter((r) => !isAuth(r)).map((r) => r.headers['authorization']));
      expect([...bearers]).to.have.length(1);
      expect(api.tokenRequestCount).to.equal(1);
    });

    it('refreshes the token once on 401 and repeats the call', async () => {
      let refused = false;
      const { api, requests } = client((request) => {
        if (isAuth(request)) return tokenResponse();
        if (!refused) {
          refused = true;
          return json(401, { ok: false, error: 'unauthorized' });
        }
        return json(200, { ok: true });
      });
      await api.updateRun('run_1', { status: 'SUCCESS' });
      expect(requests.filter(isAuth)).to.have.length(2);
      expect(requests.filter((r) => !isAuth(r))).to.have.length(2);
    });

    it('gives up with PortAuthenticationError when a fresh token is refused too', async () => {
      const { api, requests } = client((request) => (isAuth(request) ? tokenResponse() : json(401, { ok: false })));
      const error = await rejection(api.updateRun('run_1', { status: 'SUCCESS' }), PortAuthenticationError);
      expect(error.retryable).to.equal(true);
      expect(requests.filter(isAuth)).to.have.length(2);
    });

    it('reports refused credentials without echoing them', async () => {
      const { api, logger } = client((request) =>
        isAuth(request) ? json(401, { ok: false, error: 'unauthorized', message: `bad secret ${SECRET}` }) : json(200, {}),
      );
      const error = await rejection(api.addRunLog('run_1', 'x'), PortAuthenticationError);
      expect(error.message).to.include('HTTP 401').and.include('PORT_CLIENT_SECRET');
      expect(error.message).not.to.include(SECRET);
      expect(logger.text()).not.to.include(SECRET);
    });

    it('names PORT_API_URL and the token URL it asked, without credentials embedded in the URL', async () => {
      const { api } = client((request) => (isAuth(request) ? json(404, { ok: false, error: 'not_found' }) : json(200, {})), {
        baseUrl: 'https://user:url-password@port.test/v1',
      });
      const error = await rejection(api.addRunLog('run_1', 'x'), PortAuthenticationError);
      expect(error.message).to.include('PORT_API_URL').and.include('https://port.test/v1/auth/access_token');
      expect(error.message).not.to.include('url-password');
    });

    it('caches a token until shortly before it expires', async () => {
      let now = 0;
      let fetched = 0;
      const cache = new PortTokenCache(
        async () => {
          fetched += 1;
          return { accessToken: `t${fetched}`, expiresInSeconds: 3_600 };
        },
        { now: () => now, refreshMarginMs: 60_000 },
      );
      expect(await cache.get()).to.equal('t1');
      now = 3_600_000 - 60_001;
      expect(await cache.get()).to.equal('t1');
      now = 3_600_000 - 59_999;
      expect(await cache.get()).to.equal('t2');
      cache.invalidate('t1');
      expect(await cache.get()).to.equal('t2');
      cache.invalidate('t2');
      expect(await cache.get()).to.equal('t3');
    });
  });

  describe('retries', () => {
    it('retries 5xx with growing backoff, then succeeds', async () => {
      let failures = 2;
      const { api, sleeps } = client((request) => {
        if (isAuth(request)) return tokenResponse();
        if (failures-- > 0) return json(503, { ok: false, error: 'unavailable' });
        return json(201, { ok: true });
      });
      await api.upsertEntity('vm', { identifier: 'a', properties: {} });
      expect(sleeps).to.deep.equal([200, 400]);
    });

    it('honours retry-after on 429', async () => {
      let throttled = true;
      const { api, sleeps } = client((request) => {
        if (isAuth(request)) return tokenResponse();
        if (throttled) {
          throttled = false;
          return json(429, { ok: false }, { 'retry-after': '3' });
        }
        return json(200, { ok: true });
      });
      await api.addRunLog('run_1', 'x');
      expect(sleeps).to.deep.equal([3_000]);
    });

    it('retries network errors', async () => {
      let broken = true;
      const { api, requests } = client((request) => {
        if (isAuth(request)) return tokenResponse();
        if (broken) {
          broken = false;
          throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
        }
        return json(200, { ok: true });
      });
      await api.addRunLog('run_1', 'x');
      expect(requests.filter((r) => !isAuth(r))).to.have.length(2);
    });

    it('raises PortUnavailableError (retryable) when the attempts are spent', async () => {
      const { api, requests } = client(
        (request) => (isAuth(request) ? tokenResponse() : json(500, { ok: false, error: 'internal_error' })),
        {
          maxAttempts: 3,
        },
      );
      const error = await rejection(api.updateRun('run_1', { status: 'FAILURE' }), PortUnavailableError);
      expect(error).to.include({ retryable: true, status: 500 });
      expect(error.message).to.include('after 3 attempts');
      expect(requests.filter((r) => !isAuth(r))).to.have.length(3);
    });

    it('does not wait out a long retry-after: the error carries it to the caller', async () => {
      const { api, sleeps } = client((request) =>
        isAuth(request) ? tokenResponse() : json(429, { ok: false }, { 'x-ratelimit-reset': '120' }),
      );
      const error = await rejection(api.addRunLog('run_1', 'x'), PortUnavailableError);
      expect(error.retryAfterMs).to.equal(120_000);
      expect(sleeps).to.deep.equal([]);
    });

    it("does not retry a refused request (4xx): PortRequestRejectedError with Port's error", async () => {
      const { api, requests } = client((request) =>
        isAuth(request) ? tokenResponse() : json(422, { ok: false, error: 'invalid_request', message: 'cpu_cores must be number' }),
      );
      const error = await rejection(api.upsertEntity('vm', { identifier: 'a', properties: {} }), PortRequestRejectedError);
      expect(error).to.include({ retryable: false, status: 422, portError: 'invalid_request' });
      expect(error.message).to.include('upsert entity vm/a').and.include('cpu_cores must be number');
      expect(error.message).not.to.match(/token-\d/);
      expect(requests.filter((r) => !isAuth(r))).to.have.length(1);
    });
  });

  describe('requests', () => {
    it('sends the tutorial calls to the documented routes', async () => {
      const { api, requests } = client((request) => (isAuth(request) ? tokenResponse() : json(200, { ok: true })));
      await api.upsertEntity('vm', { identifier: 'backend-prod-vm', title: 'B', properties: { cpu_cores: 2 } }, { runId: 'run_1' });
      await api.updateRun('run_1', { status: 'SUCCESS', statusLabel: 'Deploying', summary: 's', link: ['https://l'] });
      await api.addRunLog('run_1', 'hello');
      const [entity, patch, log] = requests.filter((r) => !isAuth(r));
      expect(entity?.method).to.equal('POST');
      expect(`${entity?.url.pathname}${entity?.url.search}`).to.equal('/v1/blueprints/vm/entities?upsert=true&merge=true&run_id=run_1');
      expect(entity?.body).to.deep.equal({ identifier: 'backend-prod-vm', title: 'B', properties: { cpu_cores: 2 } });
      expect(patch).to.deep.include({
        method: 'PATCH',
        body: { status: 'SUCCESS', statusLabel: 'Deploying', summary: 's', link: ['https://l'] },
      });
      expect(patch?.url.pathname).to.equal('/v1/actions/runs/run_1');
      expect(log?.url.pathname).to.equal('/v1/actions/runs/run_1/logs');
      expect(log?.body).to.deep.equal({ message: 'hello' });
    });

    it('ends a run with a log line (terminationStatus), and upserts without merge or upsert when asked', async () => {
      const { api, requests } = client((request) => (isAuth(request) ? tokenResponse() : json(200, { ok: true })));
      await api.addRunLog('run_1', 'done', 'SUCCESS');
      await api.upsertEntity('vm', { identifier: 'a', properties: {} }, { merge: false });
      await api.upsertEntity('vm', { identifier: 'b', properties: {} }, { upsert: false });
      const [log, replaced, created] = requests.filter((r) => !isAuth(r));
      expect(log?.body).to.deep.equal({ message: 'done', terminationStatus: 'SUCCESS' });
      expect(replaced?.url.search).to.equal('?upsert=true&merge=false');
      expect(created?.url.search).to.equal('?upsert=false');
    });

    it('appends /v1 to a base URL without it', async () => {
      const { api, requests } = client((request) => (isAuth(request) ? tokenResponse() : json(200, {})), {
        baseUrl: 'https://api.us.getport.io/',
      });
      await api.addRunLog('run_1', 'x');
      expect(requests[0]?.url.href).to.equal('https://api.us.getport.io/v1/auth/access_token');
    });

    it('creates a blueprint, or replaces it when it exists (409 → PUT)', async () => {
      const existing = new Set<string>();
      const { api, requests } = client((request) => {
        if (isAuth(request)) return tokenResponse();
        const id = (request.body as { identifier: string }).identifier;
        if (request.method === 'POST' && existing.has(id)) return json(409, { ok: false, error: 'identifier_taken' });
        existing.add(id);
        return json(200, { ok: true });
      });
      expect(await api.upsertBlueprint({ identifier: 'vm' })).to.equal('created');
      expect(await api.upsertBlueprint({ identifier: 'vm' })).to.equal('updated');
      expect(requests.filter((r) => !isAuth(r)).map((r) => `${r.method} ${r.url.pathname}`)).to.deep.equal([
        'POST /v1/blueprints',
        'POST /v1/blueprints',
        'PUT /v1/blueprints/vm',
      ]);
    });
  });

  describe('retry policy', () => {
    it('reads retry-after in seconds or as a date, and x-ratelimit-reset as seconds or an epoch', () => {
      const now = Date.parse('2024-01-01T00:00:00Z');
      expect(retryAfterFromHeaders(new Headers({ 'retry-after': '2' }), now)).to.equal(2_000);
      expect(retryAfterFromHeaders(new Headers({ 'retry-after': 'Mon, 01 Jan 2024 00:00:05 GMT' }), now)).to.equal(5_000);
      expect(retryAfterFromHeaders(new Headers({ 'x-ratelimit-reset': '7' }), now)).to.equal(7_000);
      expect(retryAfterFromHeaders(new Headers({ 'x-ratelimit-reset': String(now / 1000 + 9) }), now)).to.equal(9_000);
      expect(retryAfterFromHeaders(new Headers({}), now)).to.equal(undefined);
    });

    it('jitters backoff between half and all of an exponentially growing, capped ceiling', () => {
      const options = { baseDelayMs: 100, maxDelayMs: 1_000 };
      expect(backoffDelay(1, { ...options, random: () => 0 })).to.equal(50);
      expect(backoffDelay(3, { ...options, random: () => 1 })).to.equal(400);
      expect(backoffDelay(10, { ...options, random: () => 1 })).to.equal(1_000);
    });
  });
});
