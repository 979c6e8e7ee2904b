import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import type { NotificationSettings } from '../../application/notifications/NotificationSettings.js';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../../application/notifications/NotificationSettings.js';
import { DEFAULT_HISTORY_RETENTION, type HistoryRetention } from '../../application/notifications/ports/RoomHistory.js';
import { ConfigurationError } from './ConfigurationError.js';
import type { Env } from './Env.js';
import { boolVar, caseInsensitiveEnum, envProblems, intVar } from './parseEnv.js';
import { secretArnVariable } from './secretArnVariable.js';

export const PROFILES = ['memory', 'localstack', 'aws', 'redis'] as const;
export type Profile = (typeof PROFILES)[number];

/** Which adapter implements each swappable port. */
export interface AdapterChoices {
  readonly connectionStore: 'memory' | 'dynamodb' | 'redis';
  readonly grantStore: 'memory' | 'dynamodb' | 'redis';
  /** `redis`: this node's sockets, and the other nodes' through Redis pub/sub (several gateway nodes). */
  readonly notifier: 'inprocess' | 'apigateway' | 'redis';
  readonly queue: 'memory' | 'sqs' | 'redis';
  /** The Port runner's ledger of handled runs (`HERMES_RUN_LEDGER`). */
  readonly runLedger: 'memory' | 'dynamodb' | 'redis';
  /** Room histories (`HERMES_HISTORY_STORE`); presence always follows the connection store. */
  readonly history: 'memory' | 'dynamodb' | 'redis';
}

const PROFILE_ADAPTERS: Record<Profile, AdapterChoices> = {
  memory: {
    connectionStore: 'memory',
    grantStore: 'memory',
    notifier: 'inprocess',
    queue: 'memory',
    runLedger: 'memory',
    history: 'memory',
  },
  localstack: {
    connectionStore: 'dynamodb',
    grantStore: 'dynamodb',
    notifier: 'apigateway',
    queue: 'sqs',
    runLedger: 'dynamodb',
    history: 'dynamodb',
  },
  aws: {
    connectionStore: 'dynamodb',
    grantStore: 'dynamodb',
    notifier: 'apigateway',
    queue: 'sqs',
    runLedger: 'dynamodb',
    history: 'dynamodb',
  },
  redis: { connectionStore: 'redis', grantStore: 'redis', notifier: 'redis', queue: 'redis', runLedger: 'redis', history: 'redis' },
};

const SECRET_KEYS = ['JWT_SECRET', 'TOKEN_PASSCODE'] as const;
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const adapter = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.optional(z.enum(values, { error: `must be one of ${values.join(', ')}` }));

const schema = z.object({
  HERMES_PROFILE: z._default(z.enum(PROFILES, { error: `must be one of ${PROFILES.join(', ')}` }), 'memory'),
  JWT_SECRET: z.optional(z.string().check(z.minLength(32, { error: 'must be at least 32 characters (HS512 wants 64 random bytes)' }))),
  JWT_SECRET_ARN: z.optional(z.string()),
  TOKEN_PASSCODE: z.optional(z.string().check(z.minLength(16, { error: 'must be at least 16 characters' }))),
  TOKEN_PASSCODE_SECRET_ARN: z.optional(z.string()),
  TOKEN_TTL_SECONDS: z._default(intVar(60, 7 * 24 * 3600), DEFAULT_NOTIFICATION_SETTINGS.tokenTtlSeconds),
  BCRYPT_COST: z._default(intVar(4, 15), 10),
  HERMES_AUTH_WORKERS: z.optional(intVar(0, 64)),
  HERMES_AUTH_CACHE_SIZE: z._default(intVar(0, 1_000_000), 10_000),
  HERMES_BROADCAST_CONCURRENCY: z._default(intVar(1, 1000), DEFAULT_NOTIFICATION_SETTINGS.broadcastConcurrency),
  HERMES_CONNECTION_STORE: adapter(['memory', 'dynamodb', 'redis']),
  HERMES_GRANT_STORE: adapter(['memory', 'dynamodb', 'redis']),
  HERMES_NOTIFIER: adapter(['inprocess', 'apigateway', 'redis']),
  HERMES_QUEUE: adapter(['memory', 'sqs', 'redis']),
  HERMES_RUN_LEDGER: adapter(['memory', 'dynamodb', 'redis']),
  HERMES_HISTORY_STORE: adapter(['memory', 'dynamodb', 'redis']),
  HERMES_HISTORY_SIZE: z._default(intVar(0, 10_000), DEFAULT_HISTORY_RETENTION.maxEntries),
  HERMES_HISTORY_TTL_SECONDS: z._default(intVar(1, 7 * 24 * 3600), DEFAULT_HISTORY_RETENTION.ttlSeconds),
  HERMES_PRESENCE_EVENTS: z._default(boolVar(), DEFAULT_NOTIFICATION_SETTINGS.presenceEvents),
  POWERTOOLS_LOG_LEVEL: z.optional(caseInsensitiveEnum(LOG_LEVELS, true)),
});

export interface CoreConfig {
  readonly profile: Profile;
  readonly adapters: AdapterChoices;
  readonly notification: NotificationSettings;
  /** What each room's history keeps (HERMES_HISTORY_SIZE, HERMES_HISTORY_TTL_SECONDS). */
  readonly history: HistoryRetention;
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

/** Supplies a development secret the environment does not give (`memory` profile): random, or kept in a local file. */
export type DevSecretSource = (name: 'JWT_SECRET' | 'TOKEN_PASSCODE') => string;

export const randomDevSecret: DevSecretSource = () => randomBytes(48).toString('base64url');

/** The core section: profile, adapter choices, notification settings, secrets. Throws one ConfigurationError listing every problem. */
export function loadCoreConfig(
  env: Env,
  profileOverride?: Profile,
  devSecret: DevSecretSource = randomDevSecret,
  /** False for tools that create the secrets rather than use them (`hermes provision`). */
  secretsRequired = true,
): CoreConfig {
  const { data: vars, problems } = envProblems(schema, env, SECRET_KEYS);
  const raw = (key: string): string | undefined => env[key]?.trim() || undefined;
  const rawProfile = raw('HERMES_PROFILE');
  const profile =
    profileOverride ??
    vars?.HERMES_PROFILE ??
    ((PROFILES as readonly string[]).includes(rawProfile ?? '') ? (rawProfile as Profile) : 'memory');
  // Missing secrets are listed with the invalid variables: one round of errors, not two.
  const missingSecrets = SECRET_KEYS.filter((key) => raw(key) === undefined && raw(secretArnVariable(key)) === undefined);
  if (profile !== 'memory' && secretsRequired) {
    for (const key of missingSecrets) {
      (problems as string[]).push(`${key}: required with HERMES_PROFILE=${profile} (or set ${secretArnVariable(key)})`);
    }
  }
  if (vars === undefined || problems.length > 0) throw new ConfigurationError(problems);
  const secrets: { JWT_SECRET?: string; TOKEN_PASSCODE?: string } = {};
  const secretArns: { JWT_SECRET?: string; TOKEN_PASSCODE?: string } = {};
  const generatedSecrets: string[] = [];
  const toGenerate: Array<'JWT_SECRET' | 'TOKEN_PASSCODE'> = [];
  for (const key of SECRET_KEYS) {
    const plain = vars[key];
    const arnVariable = secretArnVariable(key) as 'JWT_SECRET_ARN' | 'TOKEN_PASSCODE_SECRET_ARN';
    const arn = vars[arnVariable];
    if (plain !== undefined) secrets[key] = plain;
    else if (arn !== undefined) secretArns[key] = arn;
    else if (profile === 'memory') toGenerate.push(key);
  }
  for (const key of toGenerate) {
    secrets[key] = devSecret(key);
    generatedSecrets.push(key);
  }

  const defaults = PROFILE_ADAPTERS[profile];
  return {
    profile,
    adapters: {
      connectionStore: vars.HERMES_CONNECTION_STORE ?? defaults.connectionStore,
      grantStore: vars.HERMES_GRANT_STORE ?? defaults.grantStore,
      notifier: vars.HERMES_NOTIFIER ?? defaults.notifier,
      queue: vars.HERMES_QUEUE ?? defaults.queue,
      runLedger: vars.HERMES_RUN_LEDGER ?? defaults.runLedger,
      history: vars.HERMES_HISTORY_STORE ?? defaults.history,
    },
    notification: {
      ...DEFAULT_NOTIFICATION_SETTINGS,
      tokenTtlSeconds: vars.TOKEN_TTL_SECONDS,
      broadcastConcurrency: vars.HERMES_BROADCAST_CONCURRENCY,
      presenceEvents: vars.HERMES_PRESENCE_EVENTS,
    },
    history: { maxEntries: vars.HERMES_HISTORY_SIZE, ttlSeconds: vars.HERMES_HISTORY_TTL_SECONDS },
    bcryptCost: vars.BCRYPT_COST,
    authWorkers: vars.HERMES_AUTH_WORKERS ?? 0,
    authCacheSize: vars.HERMES_AUTH_CACHE_SIZE,
    ...(vars.POWERTOOLS_LOG_LEVEL ? { logLevel: vars.POWERTOOLS_LOG_LEVEL } : {}),
    secrets,
    secretArns,
    generatedSecrets,
  };
}
