import { isJsonObject, type JsonValue } from '../../../domain/shared/Json.js';

export type ParsedMessage =
  { readonly ok: true; readonly message: { readonly [key: string]: JsonValue } } | { readonly ok: false; readonly reason: string };

/** A WebSocket message body as a JSON object, or why it is not one. */
export function parseMessageBody(body: string | undefined, isBase64Encoded = false): ParsedMessage {
  if (body === undefined || body.length === 0) return { ok: false, reason: 'the message is empty' };
  const text = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the message is not JSON' };
  }
  return isJsonObject(parsed) ? { ok: true, message: parsed } : { ok: false, reason: 'the message must be a JSON object' };
}
