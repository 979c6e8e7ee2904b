import { PermanentError } from '../../../domain/shared/HermesError.js';
import type { Env } from '../../config/Env.js';
import { redactUrl, withoutCredentials } from '../../../domain/shared/redactUrl.js';
import { UsageError } from './args.js';

export interface GatewayTarget {
  /** The base URL requests go to: no trailing slash, no userinfo (the admin key is the credential). */
  readonly url: string;
  /** The URL as given, with its userinfo redacted: what messages print. */
  readonly shownUrl: string;
  readonly stage: string;
  readonly adminKey: string;
}

/** Where a running gateway is: flags first, then HERMES_HOST/HERMES_PORT/HERMES_STAGE/HERMES_ADMIN_KEY. */
export function gatewayTarget(
  flags: { url?: string | undefined; stage?: string | undefined; 'admin-key'?: string | undefined },
  env: Env,
): GatewayTarget {
  const adminKey = flags['admin-key'] ?? env['HERMES_ADMIN_KEY'];
  if (!adminKey) {
    throw new UsageError('no admin key: pass --admin-key or set HERMES_ADMIN_KEY (`hermes start` prints the key it generated)');
  }
  const given = flags.url ?? `http://${env['HERMES_HOST'] || '127.0.0.1'}:${env['HERMES_PORT'] || '3001'}`;
  let parsed: URL;
  try {
    parsed = new URL(given);
  } catch {
    throw new UsageError(`--url: not a URL: ${redactUrl(given)}`);
  }
  const trim = (url: string): string => url.replace(/\/+$/, '');
  return {
    url: trim(withoutCredentials(parsed).href),
    shownUrl: trim(redactUrl(given)),
    stage: flags.stage ?? (env['HERMES_STAGE'] || 'local'),
    adminKey,
  };
}

/** A failed call to the gateway, with a message fit for a terminal. */
export class GatewayCallError extends PermanentError {
  readonly code = 'GATEWAY_CALL_FAILED';

  constructor(message: string) {
    super(message);
  }
}

/** The innermost message of a fetch failure (`connect ECONNREFUSED 127.0.0.1:9`), its URLs redacted. */
function networkCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return redactUrl(cause instanceof Error ? cause.message : String(cause));
}

/** POSTs JSON with the admin key; resolves to the JSON answer of a 2xx, rejects with a readable error otherwise. */
export async function postJson(target: GatewayTarget, path: string, body: unknown): Promise<Record<string, unknown>> {
  const route = `/${encodeURIComponent(target.stage)}${path}`;
  let response: Response;
  try {
    response = await fetch(`${target.url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new GatewayCallError(`cannot reach the gateway at ${target.shownUrl} (${networkCause(error)}); is \`hermes start\` running?`);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = {};
  }
  const answer = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  if (response.ok) return answer;
  const error = answer['error'] as { message?: unknown } | undefined;
  const detail = redactUrl(typeof error?.message === 'string' ? error.message : text.slice(0, 200) || response.statusText);
  if (response.status === 401)
    throw new GatewayCallError(`the gateway refused the admin key (HTTP 401): check HERMES_ADMIN_KEY or --admin-key`);
  if (response.status === 404) throw new GatewayCallError(`HTTP 404 from ${target.shownUrl}${route}: is the stage right? (${detail})`);
  throw new GatewayCallError(`HTTP ${response.status}: ${detail}`);
}
