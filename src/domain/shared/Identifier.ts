import { ValidationError } from './ValidationError.js';

/** Shared rule of the string identifiers of the domain: non-empty, bounded, a fixed alphabet. */
export function validateIdentifier(field: string, raw: unknown, pattern: RegExp, maxLength: number): string {
  if (typeof raw !== 'string') throw new ValidationError(field, 'must be a string');
  if (raw.length === 0) throw new ValidationError(field, 'must not be empty');
  if (raw.length > maxLength) throw new ValidationError(field, `must be at most ${maxLength} characters`);
  if (!pattern.test(raw)) throw new ValidationError(field, `has characters outside ${pattern.source}`);
  return raw;
}

/**
 * Base of the domain's string identifiers: compared by value, printed as their value. Each subclass
 * validates in its own `of` and declares a brand, so a `RoomId` is never accepted where a `UserId` is.
 */
export abstract class Identifier {
  protected constructor(readonly value: string) {}

  equals(other: this): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }
}
