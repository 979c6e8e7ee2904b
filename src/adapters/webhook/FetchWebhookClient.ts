import { setTimeout as sleep } from 'node:timers/promises';
import { WebhookUnreachableError } from '../../application/runs/errors/WebhookUnreachableError.js';
import type { WebhookClient, WebhookRequest, WebhookResponse } from '../../application/runs/ports/WebhookClient.js';
import type { BackoffPolicy } from '../../application/shared/backoff.js';
import type { JsonValue } from '../../domain/shared/Json.js';
import { backoffDelay, retryAfterFromHeaders } from '../port/retryPolicy.js';

export interface FetchWebhookClientOptions {
  /** Per attempt. Default 30 s. */
  readonly timeoutMs?: number;
  /** Attempts in all (the first plus retries). Default 4. */
  readonly maxAttempts?: number;
  /** Default 500 ms doubling to 10 s, jittered; a 429's retry-after is honoured (up to the cap). */
  readonly backoff?: BackoffPolicy;
  readonly fetch?: typeof fetch;
}

/** Worth another attempt: throttled or a server error. A 4xx other than 429 is the request's fault: never retried. */
function retryable(status: number): boolean {
  return status === 429 || status >= 500;
}

function parsedJson(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return null;
  }
}

function headersOf(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {};
  headers.forEach((value, key) => {
    result[key] = value;
  });
  return result;
}

/** Webhook calls with `fetch`: a timeout per attempt, retries with backoff on 5xx, 429 and network errors. */
export class FetchWebhookClient implements WebhookClient {
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;
  private readonly fetch: typeof fetch;

  constructor(options: FetchWebhookClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.backoff = options.backoff ?? { baseDelayMs: 500, maxDelayMs: 10_000 };
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async send(request: WebhookRequest, signal?: AbortSignal): Promise<WebhookResponse> {
    const url = new URL(request.url);
    for (const [key, value] of Object.entries(request.query)) url.searchParams.set(key, value);
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    for (let attempt = 1; ; attempt += 1) {
      const timeout = AbortSignal.timeout(this.timeoutMs);
      let waitMs: number | undefined;
      try {
        const response = await this.fetch(url, {
          method: request.method,
          headers: { ...(hasBody && { 'content-type': 'application/json' }), ...request.headers },
          ...(hasBody && { body: JSON.stringify(request.body) }),
          signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
        });
        const text = await response.text();
        if (!retryable(response.status) || attempt >= this.maxAttempts) {
          return {
            statusCode: response.status,
            headers: headersOf(response.headers),
            text,
            json: parsedJson(text),
            attempts: attempt,
          };
        }
        waitMs = retryAfterFromHeaders(response.headers);
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        // Never the URL or the error's own text (undici's may quote the URL): only what kind of failure it was.
        const failure = timeout.aborted ? `no answer within ${Math.round(this.timeoutMs / 1000)} s` : 'the connection failed';
        if (attempt >= this.maxAttempts) throw new WebhookUnreachableError(failure, attempt, { cause: error });
      }
      const delay = Math.min(this.backoff.maxDelayMs, Math.max(backoffDelay(attempt, this.backoff), waitMs ?? 0));
      await sleep(delay, undefined, signal === undefined ? undefined : { signal });
    }
  }
}
