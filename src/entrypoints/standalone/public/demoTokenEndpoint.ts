import { PermanentError, TransientError } from '../../../domain/shared/HermesError.js';

/** The demo token endpoint refused the request (a 4xx): asking again cannot help, so the client stops. */
export class DemoTokenRefused extends PermanentError {
  readonly code = 'DEMO_TOKEN_REFUSED';

  constructor(message: string, status: number) {
    super(message, { details: { status } });
  }
}

/** The demo token endpoint did not answer, or answered 5xx / 408 / 429: the client asks again later. */
export class DemoTokenUnavailable extends TransientError {
  readonly code = 'DEMO_TOKEN_UNAVAILABLE';

  constructor(message: string, cause?: unknown) {
    super(message, undefined, cause === undefined ? {} : { cause });
  }
}

/** Statuses worth asking again for: the server's trouble, or "too many requests". */
function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

async function errorMessageOf(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    return typeof body.error?.message === 'string' ? body.error.message : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Asks `POST /{stage}/demo/tokens` for a token. A 400 carries a sentence written for people (which
 * name, what is wrong with it), shown as it is; other refusals name the status.
 */
export async function requestDemoToken(stage: string, userId: string, roomId: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`/${encodeURIComponent(stage)}/demo/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: userId, room_id: roomId }),
    });
  } catch (error) {
    throw new DemoTokenUnavailable('The gateway cannot be reached for a demo token; trying again.', error);
  }
  if (response.ok) {
    const body = (await response.json().catch(() => ({}))) as { token?: unknown };
    if (typeof body.token === 'string' && body.token !== '') return body.token;
    throw new DemoTokenUnavailable('The demo token endpoint answered without a token; trying again.');
  }
  const message = await errorMessageOf(response);
  if (isRetryableStatus(response.status)) {
    throw new DemoTokenUnavailable(`The demo token endpoint is not answering (HTTP ${response.status}); trying again.`);
  }
  if (response.status === 400 && message) throw new DemoTokenRefused(message, response.status);
  throw new DemoTokenRefused(
    `The demo token endpoint refused the request (HTTP ${response.status})${message ? `: ${message}` : '.'}`,
    response.status,
  );
}
