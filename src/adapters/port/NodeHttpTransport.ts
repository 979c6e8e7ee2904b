import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { PermanentError, TransientError } from '../../domain/shared/HermesError.js';
import { redactUrl } from '../../domain/shared/redactUrl.js';
import { HttpTimeoutError, type HttpRequest, type HttpResponse } from './HttpTransport.js';

export interface NodeHttpTransportOptions {
  /** Connections per host at most (requests beyond wait for one). Default: no limit, as Node's `fetch`. */
  readonly maxSockets?: number;
  /** An idle kept-alive connection is closed after this long (or sooner if the server's `Keep-Alive` hint says so). Default 4 s, as Node's `fetch`. */
  readonly idleTimeoutMs?: number;
}

/** A URL with userinfo is refused, as `fetch` refuses it: `node:http` would send it as Basic credentials. */
export class CredentialsInUrlError extends PermanentError {
  readonly code = 'URL_WITH_CREDENTIALS';

  constructor(url: URL) {
    super(`a request URL must not include credentials (user:password@): ${redactUrl(url.href)}`);
  }
}

/** A connection that closed before its answer was complete. */
export class IncompleteAnswerError extends TransientError {
  readonly code = 'HTTP_INCOMPLETE_ANSWER';

  constructor() {
    super('the connection closed before the answer was complete');
  }
}

function headerLookup(message: IncomingMessage): HttpResponse['headers'] {
  return {
    get: (name) => {
      const value = message.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * Port API requests over `node:http`/`node:https` with kept-alive connections (one agent per
 * transport). Node's `fetch` (undici, WHATWG streams, an AbortSignal per request) costs several
 * times the CPU per request: at a few hundred Port calls a second the runner's event loop was
 * saturated by `fetch` alone and every call waited for it (bench/runner: 20 ms answers took 200 ms).
 */
export class NodeHttpTransport {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;

  constructor(options: NodeHttpTransportOptions = {}) {
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxSockets ?? Number.POSITIVE_INFINITY,
      // The agent's socket timeout is only applied to idle sockets here (no request listens for it); the request deadline is `send`'s.
      timeout: options.idleTimeoutMs ?? 4_000,
      scheduling: 'lifo' as const,
    };
    this.http = new HttpAgent(agentOptions);
    this.https = new HttpsAgent(agentOptions);
  }

  /** One request, its answer read to the end; rejects on a network failure or `HttpTimeoutError`. */
  readonly send = (request: HttpRequest): Promise<HttpResponse> =>
    new Promise<HttpResponse>((resolve, reject) => {
      const { origin } = request;
      if (origin.username !== '' || origin.password !== '') {
        reject(new CredentialsInUrlError(origin));
        return;
      }
      const secure = origin.protocol === 'https:';
      const { hostname } = origin;
      const headers: Record<string, string> = { ...request.headers };
      if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
      let settled = false;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        reject(error);
      };
      const options = {
        method: request.method,
        // An IPv6 literal comes bracketed in a URL, not in a socket address.
        hostname: hostname.startsWith('[') ? hostname.slice(1, -1) : hostname,
        ...(origin.port !== '' && { port: Number(origin.port) }),
        path: request.path,
        headers,
        agent: secure ? this.https : this.http,
      };
      const call = (secure ? httpsRequest : httpRequest)(options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('close', () => {
          if (!response.complete) fail(new IncompleteAnswerError());
        });
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          resolve({ status: response.statusCode ?? 0, headers: headerLookup(response), text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      const deadline = setTimeout(() => {
        const timedOut = new HttpTimeoutError(request.timeoutMs);
        fail(timedOut);
        call.destroy(timedOut);
      }, request.timeoutMs);
      call.on('error', fail);
      call.end(request.body);
    });

  /** Closes every kept-alive connection (idle ones never hold the process open). */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
