export interface IdGenerator {
  /** A new unique, URL-safe identifier. */
  next(): string;
}
