import { Identifier, validateIdentifier } from '../shared/Identifier.js';

/** Numeric ids, slugs, e-mail addresses and `provider|id` forms are all accepted. */
const PATTERN = /^[A-Za-z0-9_\-.:@+|]+$/;

export class UserId extends Identifier {
  declare private readonly brand: 'user';

  static of(raw: unknown): UserId {
    const value = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : raw;
    return new UserId(validateIdentifier('user_id', value, PATTERN, 128));
  }
}
