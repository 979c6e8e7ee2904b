import { ValidationError } from '../shared/ValidationError.js';

/**
 * Port's rule for entity, blueprint and action identifiers: letters, digits and `@_.+:\/=-`,
 * and not `.` or `..` alone.
 */
export const PORT_IDENTIFIER_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9@_.+:\\/=-]+$/;
/** hermes keeps the identifiers it derives short enough for URLs and Port's UI. */
export const MAX_PORT_IDENTIFIER_LENGTH = 100;

/** Validates an identifier against Port's rule. */
export function portIdentifier(field: string, raw: unknown): string {
  if (typeof raw !== 'string') throw new ValidationError(field, 'must be a string');
  if (raw.length === 0) throw new ValidationError(field, 'must not be empty');
  if (raw.length > MAX_PORT_IDENTIFIER_LENGTH) {
    throw new ValidationError(field, `must be at most ${MAX_PORT_IDENTIFIER_LENGTH} characters`);
  }
  if (!PORT_IDENTIFIER_PATTERN.test(raw)) {
    throw new ValidationError(field, 'may only hold letters, digits and @_.+:\\/=- (and not be "." or "..")');
  }
  return raw;
}

/**
 * A Port identifier derived from a human title: accents dropped, lower case, every run of other
 * characters turned into one `-`, trimmed, at most {@link MAX_PORT_IDENTIFIER_LENGTH} characters.
 * "Backend Prod VM" → "backend-prod-vm". Throws when nothing usable is left (e.g. "!!!").
 */
export function slugifyPortIdentifier(field: string, title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_PORT_IDENTIFIER_LENGTH)
    .replace(/-+$/, '');
  if (slug.length === 0) throw new ValidationError(field, 'must contain at least one letter (a-z) or digit');
  return portIdentifier(field, slug);
}
