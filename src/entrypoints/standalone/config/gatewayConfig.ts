import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { ConfigurationError } from '../../config/ConfigurationError.js';
import type { Profile } from '../../config/coreConfig.js';
import type { Env } from '../../config/Env.js';
import { intVar, parseEnv } from '../../config/parseEnv.js';

/** API Gateway's WebSocket limits, which the local gateway enforces the same way. */
export interface GatewayLimits {
  /** Largest message (all its frames); beyond it the connection is closed with 1009. API Gateway: 128 KB. */
  readonly maxMessageBytes: number;
  /** Largest single frame; beyond it the connection is closed with 1009. API Gateway: 32 KB. */
  readonly maxFrameBytes: number;
  /** A connection without a message from its client for this long is closed with 1001. API Gateway: 10 min. */
  readonly idleTimeoutMs: number;
  /** Every connection is closed with 1001 after this long. API Gateway: 2 h. */
  readonly hardTimeoutMs: number;
  /** Longest wait for the authorizer or `$connect`; beyond it the upgrade gets a 5xx. API Gateway: 29 s. */
  readonly integrationTimeoutMs: number;
  /** Authorizations in flight at once (HERMES_MAX_CONCURRENT_AUTHORIZATIONS); the overflow gets 429 at once. 0: no bound. */
  readonly maxConcurrentAuthorizations: number;
}

export interface GatewayConfig {
  readonly host: string;
  /** 0 asks the OS for a free port. */
  readonly port: number;
  readonly stage: string;
  /** Bearer key of the backend endpoints (tokens, publish). Never logged. */
  readonly adminKey: string;
  /** True when the key was generated because HERMES_ADMIN_KEY was unset (`memory` profile only). */
  readonly adminKeyGenerated: boolean;
  readonly limits: GatewayLimits;
  /** The demo page's token endpoint, which needs no key: `memory` profile only. */
  readonly demoTokens: boolean;
}

export const API_GATEWAY_LIMITS: GatewayLimits = {
  maxMessageBytes: 128 * 1024,
  maxFrameBytes: 32 * 1024,
  idleTimeoutMs: 10 * 60 * 1000,
  hardTimeoutMs: 2 * 60 * 60 * 1000,
  integrationTimeoutMs: 29_000,
  maxConcurrentAuthorizations: 256,
};

const STAGE = /^[A-Za-z0-9_-]{1,128}$/;

const schema = z.object({
  HERMES_PORT: intVar(0, 65535).default(3001),
  HERMES_HOST: z.string().min(1).default('127.0.0.1'),
  HERMES_STAGE: z.string().regex(STAGE, { error: 'must be 1-128 letters, digits, - or _' }).default('local'),
  HERMES_ADMIN_KEY: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  HERMES_MAX_MESSAGE_BYTES: intVar(1024, 16 * 1024 * 1024).default(API_GATEWAY_LIMITS.maxMessageBytes),
  HERMES_MAX_FRAME_BYTES: intVar(126, 16 * 1024 * 1024).default(API_GATEWAY_LIMITS.maxFrameBytes),
  HERMES_IDLE_TIMEOUT_SECONDS: intVar(1, 7 * 24 * 3600).default(API_GATEWAY_LIMITS.idleTimeoutMs / 1000),
  HERMES_MAX_CONNECTION_SECONDS: intVar(1, 7 * 24 * 3600).default(API_GATEWAY_LIMITS.hardTimeoutMs / 1000),
  HERMES_MAX_CONCURRENT_AUTHORIZATIONS: intVar(0, 1_000_000).default(API_GATEWAY_LIMITS.maxConcurrentAuthorizations),
});

export interface GatewayConfigOverrides {
  readonly host?: string;
  readonly port?: number;
  readonly stage?: string;
  readonly adminKey?: string;
  readonly limits?: Partial<GatewayLimits>;
}

/** The local gateway's settings: HERMES_* variables, then explicit overrides (CLI flags, tests). */
export function loadGatewayConfig(env: Env, profile: Profile, overrides: GatewayConfigOverrides = {}): GatewayConfig {
  const vars = parseEnv(schema, env, ['HERMES_ADMIN_KEY']);
  const stage = overrides.stage ?? vars.HERMES_STAGE;
  if (!STAGE.test(stage)) throw new ConfigurationError([`stage: must be 1-128 letters, digits, - or _ (got "${stage}")`]);
  const configuredKey = overrides.adminKey ?? vars.HERMES_ADMIN_KEY;
  if (configuredKey === undefined && profile !== 'memory') {
    throw new ConfigurationError([`HERMES_ADMIN_KEY: required with HERMES_PROFILE=${profile} (at least 16 characters)`]);
  }
  return {
    host: overrides.host ?? vars.HERMES_HOST,
    port: overrides.port ?? vars.HERMES_PORT,
    stage,
    adminKey: configuredKey ?? randomBytes(24).toString('base64url'),
    adminKeyGenerated: configuredKey === undefined,
    limits: {
      maxMessageBytes: vars.HERMES_MAX_MESSAGE_BYTES,
      maxFrameBytes: vars.HERMES_MAX_FRAME_BYTES,
      idleTimeoutMs: vars.HERMES_IDLE_TIMEOUT_SECONDS * 1000,
      hardTimeoutMs: vars.HERMES_MAX_CONNECTION_SECONDS * 1000,
      integrationTimeoutMs: API_GATEWAY_LIMITS.integrationTimeoutMs,
      maxConcurrentAuthorizations: vars.HERMES_MAX_CONCURRENT_AUTHORIZATIONS,
      ...overrides.limits,
    },
    demoTokens: profile === 'memory',
  };
}
