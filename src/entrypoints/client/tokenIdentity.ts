/** Who a hermes connection token says it is for. */
export interface TokenIdentity {
  readonly userId?: string;
  readonly roomId?: string;
  /** The `exp` claim, when present. */
  readonly expiresAt?: Date;
}

function decodeBase64Url(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : undefined;
}

/**
 * The user and room a connection token (a JWT whose payload holds `user_id` and `room_id`) carries,
 * read from its payload without checking the signature: only the gateway can, and this is for
 * showing people their own token. Undefined when `token` is not such a JWT.
 */
export function readTokenIdentity(token: string): TokenIdentity | undefined {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(decodeBase64Url(parts[1]));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const claims = payload as Record<string, unknown>;
  const userId = text(claims['user_id']);
  const roomId = text(claims['room_id']);
  if (userId === undefined && roomId === undefined) return undefined;
  const exp = claims['exp'];
  return {
    ...(userId === undefined ? {} : { userId }),
    ...(roomId === undefined ? {} : { roomId }),
    ...(typeof exp === 'number' && Number.isFinite(exp) ? { expiresAt: new Date(exp * 1000) } : {}),
  };
}
