import { RoomId } from '../../../../domain/connection/RoomId.js';
import { UserId } from '../../../../domain/connection/UserId.js';
import { ValidationError } from '../../../../domain/shared/ValidationError.js';
import type { JsonValue } from '../../../../domain/shared/Json.js';
import type { GatewayContext } from '../GatewayContext.js';
import { HttpError } from '../HttpError.js';
import type { RouteHandler } from '../HttpRouter.js';
import { readJsonObject, sendJson } from '../httpIo.js';

/** The demo page's fields, named as a person reads them. */
const FIELDS = [
  { key: 'user_id', label: 'user name', check: (value: unknown) => UserId.of(value) },
  { key: 'room_id', label: 'room name', check: (value: unknown) => RoomId.of(value) },
] as const;

function describeCharacter(character: string): string {
  if (character === ' ') return 'spaces';
  if (/\s/.test(character)) return 'line breaks or tabs';
  return `"${character}"`;
}

function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** The characters of `value` that the identifier rule refuses, each tried alone against the same rule. */
function refusedCharacters(value: string, check: (value: unknown) => unknown): string[] {
  const refused = new Set<string>();
  for (const character of value) {
    try {
      check(character);
    } catch {
      refused.add(character);
    }
  }
  return [...new Set([...refused].map(describeCharacter))];
}

/**
 * A sentence for the person at the demo page, instead of the rule's wording (which names the
 * pattern as a regular expression): which field, what is wrong with it, what to do.
 */
export function humanRefusal(
  label: string,
  value: JsonValue | undefined,
  error: ValidationError,
  check: (value: unknown) => unknown,
): string {
  if (typeof value === 'string' && value.trim() === '') return `Enter a ${label}.`;
  if (typeof value !== 'string') return `The ${label} must be text.`;
  const characters = refusedCharacters(value, check);
  if (characters.length > 0) return `"${value}" is not accepted as a ${label}: ${label}s cannot contain ${listed(characters)}.`;
  const reason = error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
  return `The ${label} ${reason}.`;
}

/**
 * `POST /{stage}/demo/tokens` {user_id, room_id}: a connection token without the admin key (memory
 * profile only), refusing bad names with a 400 whose message the page shows as it is.
 */
export function demoTokenHandler(context: GatewayContext): RouteHandler {
  const issue = context.useCases.issueToken;
  return async ({ res, req }) => {
    const body = await readJsonObject(req);
    for (const field of FIELDS) {
      try {
        field.check(body[field.key]);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        throw new HttpError(400, error.code, humanRefusal(field.label, body[field.key], error, field.check));
      }
    }
    const issued = await issue.execute({ userId: body['user_id'], roomId: body['room_id'] });
    sendJson(res, 201, { token: issued.token, expires_at: issued.expiresAt.toISOString(), websocket_url: context.websocketUrl() });
  };
}
