import { TransientError } from '../../domain/shared/HermesError.js';

/** One HTTP request of the Port API client: the body already serialized. */
export interface HttpRequest {
  readonly method: string;
  /** Scheme, host and port of the API (parsed once per client, not per request). */
  readonly origin: URL;
  /** Path and query, already encoded (`/v1/actions/runs/r1?x=y`). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The whole exchange (connect, send, the complete answer) must fit in this. */
  readonly timeoutMs: number;
}

/** The answer, read to its end. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly text: string;
}

/** Sends one request; rejects on a network failure or `HttpTimeoutError`, never on an HTTP status. */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/** No complete answer within the request's time. */
export class HttpTimeoutError extends TransientError {
  readonly code = 'HTTP_TIMEOUT';

  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** A transport over a `fetch` implementation (tests script one; any WHATWG fetch works). */
export function fetchTransport(fetchImpl: typeof fetch): HttpTransport {
  return async (request) => {
    const signal = AbortSignal.timeout(request.timeoutMs);
    try {
      const response = await fetchImpl(new URL(request.path, request.origin), {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined && { body: request.body }),
        signal,
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      if (signal.aborted) throw new HttpTimeoutError(request.timeoutMs);
      throw error;
    }
  };
}
