import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogAttributes } from '../../application/shared/ports/Logger.js';

const storage = new AsyncLocalStorage<LogAttributes>();

/**
 * Runs `work` with `attributes` (request id, connection id, room id, run id: whatever the edge
 * knows) added to every log line it writes, however many requests run at once in the process.
 * Nested calls add to the outer attributes; undefined ones are not written.
 */
export function withLogCorrelation<T>(attributes: Readonly<Record<string, string | undefined>>, work: () => T): T {
  // Undefined values are dropped by the loggers (JSON leaves them out).
  return storage.run({ ...storage.getStore(), ...attributes }, work);
}

/** The correlation attributes of the request being served (empty outside one). */
export function logCorrelation(): LogAttributes {
  return storage.getStore() ?? {};
}
