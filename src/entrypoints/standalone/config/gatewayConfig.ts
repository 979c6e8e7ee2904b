import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { ConfigurationError } from '../../config/ConfigurationError.js';
import type { Profile } from '../../config/coreConfig.js';
import type { Env } from '../../config/Env.js';
import type { ConfigSection } from '../../config/loadConfig.js';
import type { DevSecrets } from '../../config/devSecrets.js';
import { envProblems, intVar } from '../../config/parseEnv.js';
import { TEMPLATE_PATH } from '../template/cloudFormation.js';

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
  /**
   * Outbound bytes a connection may leave unsent (HERMES_MAX_BUFFERED_BYTES); a client that reads
   * slower is closed with 1008 "slow consumer", so it cannot hold the server's memory. Local gateway only.
   */
  readonly maxBufferedBytes: number;
}

/**
 * API Gateway's throttling, off (0) unless set: the account-level rate that makes `@connections`
 * answer 429 LimitExceededException, and the new-connections-per-second quota (upgrades answered 429).
 */
export interface GatewayThrottling {
  /** HERMES_CONNECTIONS_RPS: `@connections` requests per second (steady state); 0: unlimited. */
  readonly connectionsRps: number;
  /** HERMES_CONNECTIONS_BURST: `@connections` requests allowed at once above the rate; default the rate. */
  readonly connectionsBurst: number;
  /** HERMES_NEW_CONNECTIONS_RPS: upgrades per second; 0: unlimited. */
  readonly newConnectionsRps: number;
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
  /** HERMES_TEMPLATE / `--template`: the SAM template whose WebSocket API the gateway hosts (default hermes' own). */
  readonly template: string;
  readonly throttling: GatewayThrottling;
}

export const API_GATEWAY_LIMITS: GatewayLimits = {
  maxMessageBytes: 128 * 1024,
  maxFrameBytes: 32 * 1024,
  idleTimeoutMs: 10 * 60 * 1000,
  hardTimeoutMs: 2 * 60 * 60 * 1000,
  integrationTimeoutMs: 29_000,
  maxConcurrentAuthorizations: 256,
  maxBufferedBytes: 1024 * 1024,
};

const STAGE = /^[A-Za-z0-9_-]{1,128}$/;

const schema = z.object({
  HERMES_PORT: z._default(intVar(0, 65535), 3001),
  HERMES_HOST: z._default(z.string().check(z.minLength(1)), '127.0.0.1'),
  HERMES_STAGE: z._default(z.string().check(z.regex(STAGE, { error: 'must be 1-128 letters, digits, - or _' })), 'local'),
  HERMES_ADMIN_KEY: z.optional(z.string().check(z.minLength(16, { error: 'must be at least 16 characters' }))),
  HERMES_MAX_MESSAGE_BYTES: z._default(intVar(1024, 16 * 1024 * 1024), API_GATEWAY_LIMITS.maxMessageBytes),
  HERMES_MAX_FRAME_BYTES: z._default(intVar(126, 16 * 1024 * 1024), API_GATEWAY_LIMITS.maxFrameBytes),
  HERMES_IDLE_TIMEOUT_SECONDS: z._default(intVar(1, 7 * 24 * 3600), API_GATEWAY_LIMITS.idleTimeoutMs / 1000),
  HERMES_MAX_CONNECTION_SECONDS: z._default(intVar(1, 7 * 24 * 3600), API_GATEWAY_LIMITS.hardTimeoutMs / 1000),
  HERMES_MAX_CONCURRENT_AUTHORIZATIONS: z._default(intVar(0, 1_000_000), API_GATEWAY_LIMITS.maxConcurrentAuthorizations),
  HERMES_MAX_BUFFERED_BYTES: z._default(intVar(1024, 1024 * 1024 * 1024), API_GATEWAY_LIMITS.maxBufferedBytes),
  HERMES_TEMPLATE: z.optional(z.string().check(z.minLength(1))),
  HERMES_CONNECTIONS_RPS: z._default(intVar(0, 1_000_000), 0),
  HERMES_CONNECTIONS_BURST: z._default(intVar(0, 1_000_000), 0),
  HERMES_NEW_CONNECTIONS_RPS: z._default(intVar(0, 1_000_000), 0),
});

export interface GatewayConfigOverrides {
  readonly host?: string;
  readonly port?: number;
  readonly stage?: string;
  readonly adminKey?: string;
  readonly limits?: Partial<GatewayLimits>;
  /** `--template FILE`. */
  readonly template?: string;
  readonly throttling?: Partial<GatewayThrottling>;
}

/**
 * The local gateway's settings: HERMES_* variables, then explicit overrides (CLI flags, tests). Every
 * problem is listed at once. On `memory`, a missing admin key is generated (kept by `devSecrets` when given).
 */
export function loadGatewayConfig(
  env: Env,
  profile: Profile,
  overrides: GatewayConfigOverrides = {},
  devSecrets?: DevSecrets,
): GatewayConfig {
  const { data: vars, problems } = envProblems(schema, env, ['HERMES_ADMIN_KEY']);
  const found = [...problems];
  const stage = overrides.stage ?? vars?.HERMES_STAGE ?? 'local';
  if (overrides.stage !== undefined && !STAGE.test(stage)) found.push(`stage: must be 1-128 letters, digits, - or _ (got "${stage}")`);
  const configuredKey = overrides.adminKey ?? (env['HERMES_ADMIN_KEY']?.trim() || undefined);
  if (configuredKey === undefined && profile !== 'memory') {
    found.push(`HERMES_ADMIN_KEY: required with HERMES_PROFILE=${profile} (at least 16 characters)`);
  }
  if (vars === undefined || found.length > 0) throw new ConfigurationError(found);
  const adminKey = configuredKey ?? devSecrets?.get('HERMES_ADMIN_KEY') ?? randomBytes(24).toString('base64url');
  return {
    host: overrides.host ?? vars.HERMES_HOST,
    port: overrides.port ?? vars.HERMES_PORT,
    stage,
    adminKey,
    adminKeyGenerated: configuredKey === undefined,
    limits: {
      maxMessageBytes: vars.HERMES_MAX_MESSAGE_BYTES,
      maxFrameBytes: vars.HERMES_MAX_FRAME_BYTES,
      idleTimeoutMs: vars.HERMES_IDLE_TIMEOUT_SECONDS * 1000,
      hardTimeoutMs: vars.HERMES_MAX_CONNECTION_SECONDS * 1000,
      integrationTimeoutMs: API_GATEWAY_LIMITS.integrationTimeoutMs,
      maxConcurrentAuthorizations: vars.HERMES_MAX_CONCURRENT_AUTHORIZATIONS,
      maxBufferedBytes: vars.HERMES_MAX_BUFFERED_BYTES,
      ...overrides.limits,
    },
    demoTokens: profile === 'memory',
    template: overrides.template ?? vars.HERMES_TEMPLATE ?? TEMPLATE_PATH,
    throttling: {
      connectionsRps: vars.HERMES_CONNECTIONS_RPS,
      connectionsBurst: vars.HERMES_CONNECTIONS_BURST,
      newConnectionsRps: vars.HERMES_NEW_CONNECTIONS_RPS,
      ...overrides.throttling,
    },
  };
}

/** The local gateway's section, for `loadConfig`'s `sections`. */
export function gatewaySection(overrides: GatewayConfigOverrides = {}): ConfigSection {
  return (env, profile, devSecrets) => ({ gateway: loadGatewayConfig(env, profile, overrides, devSecrets) });
}
