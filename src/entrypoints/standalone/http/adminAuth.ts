import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './HttpError.js';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Checks `Authorization: Bearer <admin key>` in constant time; throws 401 otherwise. */
export function adminGuard(adminKey: string): (req: IncomingMessage) => void {
  const expected = digest(adminKey);
  return (req) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1] as string), expected)) {
      throw new HttpError(401, 'UNAUTHORIZED', 'send Authorization: Bearer <HERMES_ADMIN_KEY>', {
        'www-authenticate': 'Bearer realm="hermes"',
      });
    }
  };
}
