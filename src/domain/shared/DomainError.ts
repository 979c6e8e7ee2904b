/**
 * Base class of every error the core raises on purpose. `code` is stable and machine-readable;
 * entrypoints map it to a reply (HTTP status, WebSocket error frame, CLI exit code).
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  protected constructor(message: string, readonly details: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.name = new.target.name;
  }
}
