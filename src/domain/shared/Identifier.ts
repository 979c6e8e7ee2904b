import { ValidationError } from './ValidationError.js';

/** Shared rule of the string identifiers of the domain: non-empty, bounded, a fixed alphabet. */
export function validateIdentifier(field: string, raw: unknown, pattern: RegExp, maxLength: number): string {
  if (typeof raw !== 'string') throw new ValidationError(field, 'must be a string');
  if (raw.length === 0) throw new ValidationError(field, 'must not be empty');
  if (raw.length > maxLength) throw new ValidationError(field, `must be at most ${maxLength} characters`);
  if (!pattern.test(raw)) throw new ValidationError(field, `has characters outside ${pattern.source}`);
  return raw;
}
