import type { HermesErrorOptions } from '../../../domain/shared/HermesError.js';

/** Where a Port API call failed: what was attempted and what Port answered. */
export interface PortCallFacts {
  /** What was attempted, e.g. `upsert entity vm/backend-prod-vm`. */
  readonly operation: string;
  /** HTTP status, when Port answered. */
  readonly status: number | undefined;
}

/**
 * Messages of Port API errors carry the operation, the HTTP status and Port's error code, never a
 * token or a secret. Each concrete error extends `TransientError` or `PermanentError`; this
 * helper only builds their shared details.
 */
export function portCallOptions(facts: PortCallFacts, options: HermesErrorOptions = {}): HermesErrorOptions {
  return { ...options, details: { operation: facts.operation, ...(facts.status !== undefined && { status: facts.status }) } };
}
