import { ConfigurationError } from '../../config/ConfigurationError.js';
import type { Wiring } from '../wiring.js';
import type { RedisAdapters } from './redisAdapters.js';

interface RedisHolder {
  factory?: (wiring: Wiring) => RedisAdapters;
  adapters?: RedisAdapters;
}

function holder(wiring: Wiring): RedisHolder {
  return wiring.once<RedisHolder>('redis', () => ({}));
}

/**
 * The `redis` rows of the adapter table go through this slot, so that the Lambda bundles, which
 * import the table, carry no Redis client: only a composition that enabled the family
 * (`enableRedisAdapters`, done by the standalone container) can pick a Redis adapter.
 */
export function redisAdapters(wiring: Wiring): RedisAdapters {
  const slot = holder(wiring);
  if (slot.adapters) return slot.adapters;
  if (!slot.factory) {
    throw new ConfigurationError([
      'the redis adapters run in the standalone gateway and the CLI (`hermes start --profile redis`), not in the Lambda functions',
    ]);
  }
  slot.adapters = slot.factory(wiring);
  return slot.adapters;
}

/** The Redis family of this composition, when some adapter used it (for shutdown and the gateway's wiring). */
export function redisAdaptersIfUsed(wiring: Wiring): RedisAdapters | undefined {
  return holder(wiring).adapters;
}

/** Makes the Redis family available to this composition (it is built on first use). */
export function allowRedisAdapters(wiring: Wiring, factory: (wiring: Wiring) => RedisAdapters): void {
  holder(wiring).factory ??= factory;
}
