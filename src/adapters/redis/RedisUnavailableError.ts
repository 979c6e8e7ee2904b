import { TransientError } from '../../domain/shared/HermesError.js';

/** Redis cannot be reached (down, restarting, partitioned): the work may succeed once it is back. */
export class RedisUnavailableError extends TransientError {
  readonly code = 'REDIS_UNAVAILABLE';

  constructor(operation: string, cause?: unknown) {
    super(`Redis is unavailable (${operation}); try again shortly`, 1_000, { cause, details: { operation } });
  }
}
