import { validateIdentifier } from '../shared/Identifier.js';

/** Numeric ids, slugs, e-mail addresses and `provider|id` forms are all accepted. */
const PATTERN = /^[A-Za-z0-9_\-.:@+|]+$/;

export class UserId {
  private constructor(readonly value: string) {}

  static of(raw: unknown): UserId {
    const value = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : raw;
    return new UserId(validateIdentifier('user_id', value, PATTERN, 128));
  }

  equals(other: UserId): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }
}
