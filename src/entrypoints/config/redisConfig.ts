import * as z from 'zod/mini';
import type { Env } from './Env.js';
import { intVar, parseEnv } from './parseEnv.js';

/** Where the `redis` profile finds Redis unless `REDIS_URL` says otherwise. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** A node whose heartbeat is older than this is dead: its connections are dropped (HERMES_NODE_TTL_SECONDS). */
export const DEFAULT_NODE_TTL_SECONDS = 30;

const STAGE = /^[A-Za-z0-9_-]{1,128}$/;

const schema = z.object({
  REDIS_URL: z._default(
    z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379' }),
    DEFAULT_REDIS_URL,
  ),
  HERMES_STAGE: z._default(z.string().check(z.regex(STAGE, { error: 'must be 1-128 letters, digits, - or _' })), 'local'),
  HERMES_NODE_TTL_SECONDS: z._default(intVar(2, 3600), DEFAULT_NODE_TTL_SECONDS),
  HERMES_NODE_ID: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'must be 1-64 letters, digits, ., - or _' }))),
});

export interface RedisConfig {
  /** `REDIS_URL`; may carry a password: never log it without `redactUrl`. */
  readonly url: string;
  /** The stage whose keys this process uses (`hermes:<stage>:...`); the gateway's `--stage` wins over HERMES_STAGE. */
  readonly stage: string;
  /** Seconds without a heartbeat after which a node counts as dead. */
  readonly nodeTtlSeconds: number;
  /** This process's node id (HERMES_NODE_ID); generated per process when unset. */
  readonly nodeId: string | undefined;
}

/** The Redis section (nothing is required), read by `loadConfig` when a `redis` adapter is picked. */
export function loadRedisConfig(env: Env): RedisConfig {
  // REDIS_URL may hold a password: never echoed in a problem.
  const vars = parseEnv(schema, env, ['REDIS_URL']);
  return { url: vars.REDIS_URL, stage: vars.HERMES_STAGE, nodeTtlSeconds: vars.HERMES_NODE_TTL_SECONDS, nodeId: vars.HERMES_NODE_ID };
}
