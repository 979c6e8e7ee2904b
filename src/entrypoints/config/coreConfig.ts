import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { NotificationSettings } from '../../application/notifications/NotificationSettings.js';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../../application/notifications/NotificationSettings.js';
import { ConfigurationError } from './ConfigurationError.js';
import type { Env } from './Env.js';
import { intVar, parseEnv } from './parseEnv.js';
import { secretArnVariable } from './secretArnVariable.js';

export const PROFILES = ['memory', 'localstack', 'aws'] as const;
export type Profile = (typeof PROFILES)[number];

/** Which adapter implements each swappable port. */
export interface AdapterChoices {
  readonly connectionStore: 'memory' | 'dynamodb';
  readonly grantStore: 'memory' | 'dynamodb';
  readonly notifier: 'inprocess' | 'apigateway';
  readonly queue: 'memory' | 'sqs';
}

const PROFILE_ADAPTERS: Record<Profile, AdapterChoices> = {
  memory: { connectionStore: 'memory', grantStore: 'memory', notifier: 'inprocess', queue: 'memory' },
  localstack: { connectionStore: 'dynamodb', grantStore: 'dynamodb', notifier: 'apigateway', queue: 'sqs' },
  aws: { connectionStore: 'dynamodb', grantStore: 'dynamodb', notifier: 'apigateway', queue: 'sqs' },
};

const SECRET_KEYS = ['JWT_SECRET', 'TOKEN_PASSCODE'] as const;
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const schema = z.object({
  HERMES_PROFILE: z.enum(PROFILES, { error: `must be one of ${PROFILES.join(', ')}` }).default('memory'),
  JWT_SECRET: z.string().min(32, { error: 'must be at least 32 characters (HS512 wants 64 random bytes)' }).optional(),
  JWT_SECRET_ARN: z.string().optional(),
  TOKEN_PASSCODE: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  TOKEN_PASSCODE_SECRET_ARN: z.string().optional(),
  TOKEN_TTL_SECONDS: intVar(60, 7 * 24 * 3600).default(DEFAULT_NOTIFICATION_SETTINGS.tokenTtlSeconds),
  BCRYPT_COST: intVar(4, 15).default(10),
  HERMES_AUTH_WORKERS: intVar(0, 64).optional(),
  HERMES_AUTH_CACHE_SIZE: intVar(0, 1_000_000).default(10_000),
  HERMES_BROADCAST_CONCURRENCY: intVar(1, 1000).default(DEFAULT_NOTIFICATION_SETTINGS.broadcastConcurrency),
  HERMES_CONNECTION_STORE: z.enum(['memory', 'dynamodb']).optional(),
  HERMES_GRANT_STORE: z.enum(['memory', 'dynamodb']).optional(),
  HERMES_NOTIFIER: z.enum(['inprocess', 'apigateway']).optional(),
  HERMES_QUEUE: z.enum(['memory', 'sqs']).optional(),
  POWERTOOLS_LOG_LEVEL: z
    .string()
    .toUpperCase()
    .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }))
    .optional(),
});

export interface CoreConfig {
  readonly profile: Profile;
  readonly adapters: AdapterChoices;
  readonly notification: NotificationSettings;
  readonly bcryptCost: number;
  /**
   * bcrypt worker threads (HERMES_AUTH_WORKERS); 0 (the default) hashes on the event loop, as on
   * Lambda, where one request runs per environment. The standalone gateway defaults it to CPUs − 1.
   */
  readonly authWorkers: number;
  /** Verified tokens remembered (HERMES_AUTH_CACHE_SIZE); 0 disables the cache. */
  readonly authCacheSize: number;
  /** Explicit log level; unset leaves it to Powertools' own variables (`AWS_LAMBDA_LOG_LEVEL`, default INFO). */
  readonly logLevel?: LogLevel;
  /** Plain secret values from the environment (or generated for `memory`); never logged. */
  readonly secrets: { readonly JWT_SECRET?: string; readonly TOKEN_PASSCODE?: string };
  /** Secrets Manager ids (ARN or name) of secrets not given in plain. */
  readonly secretArns: { readonly JWT_SECRET?: string; readonly TOKEN_PASSCODE?: string };
  /** Secrets that were missing and generated for this process (`memory` profile only). */
  readonly generatedSecrets: readonly string[];
}

export function loadCoreConfig(env: Env, profileOverride?: Profile): CoreConfig {
  const vars = parseEnv(schema, env, SECRET_KEYS);
  const profile = profileOverride ?? vars.HERMES_PROFILE;
  const secrets: { JWT_SECRET?: string; TOKEN_PASSCODE?: string } = {};
  const secretArns: { JWT_SECRET?: string; TOKEN_PASSCODE?: string } = {};
  const generatedSecrets: string[] = [];
  const problems: string[] = [];
  for (const key of SECRET_KEYS) {
    const plain = vars[key];
    const arnVariable = secretArnVariable(key) as 'JWT_SECRET_ARN' | 'TOKEN_PASSCODE_SECRET_ARN';
    const arn = vars[arnVariable];
    if (plain !== undefined) secrets[key] = plain;
    else if (arn !== undefined) secretArns[key] = arn;
    else if (profile === 'memory') {
      secrets[key] = randomBytes(48).toString('base64url');
      generatedSecrets.push(key);
    } else problems.push(`${key}: required with HERMES_PROFILE=${profile} (or set ${arnVariable})`);
  }
  if (problems.length > 0) throw new ConfigurationError(problems);

  const defaults = PROFILE_ADAPTERS[profile];
  return {
    profile,
    adapters: {
      connectionStore: vars.HERMES_CONNECTION_STORE ?? defaults.connectionStore,
      grantStore: vars.HERMES_GRANT_STORE ?? defaults.grantStore,
      notifier: vars.HERMES_NOTIFIER ?? defaults.notifier,
      queue: vars.HERMES_QUEUE ?? defaults.queue,
    },
    notification: {
      ...DEFAULT_NOTIFICATION_SETTINGS,
      tokenTtlSeconds: vars.TOKEN_TTL_SECONDS,
      broadcastConcurrency: vars.HERMES_BROADCAST_CONCURRENCY,
    },
    bcryptCost: vars.BCRYPT_COST,
    authWorkers: vars.HERMES_AUTH_WORKERS ?? 0,
    authCacheSize: vars.HERMES_AUTH_CACHE_SIZE,
    ...(vars.POWERTOOLS_LOG_LEVEL ? { logLevel: vars.POWERTOOLS_LOG_LEVEL } : {}),
    secrets,
    secretArns,
    generatedSecrets,
  };
}
