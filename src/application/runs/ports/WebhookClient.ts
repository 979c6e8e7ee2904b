import type { JsonValue } from '../../../domain/shared/Json.js';

/** One request of a webhook mapping, as the mapping rendered it. */
export interface WebhookRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly body: JsonValue;
}

/** The endpoint's last answer, as port-agent's report mapping sees it (`.response`). */
export interface WebhookResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The body parsed as JSON, null when it is not JSON. */
  readonly json: JsonValue;
  /** Attempts made (retries on 5xx, 429 and network errors). */
  readonly attempts: number;
}

/**
 * Calls webhook endpoints with a timeout per attempt, retrying 5xx, 429 and network errors with
 * backoff (never a 4xx). Resolves with the last answer, whatever its status; rejects with
 * `WebhookUnreachableError` when no answer came.
 */
export interface WebhookClient {
  send(request: WebhookRequest, signal?: AbortSignal): Promise<WebhookResponse>;
}
