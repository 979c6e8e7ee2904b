import * as z from 'zod/mini';
import { DEFAULT_PORT_API_URL } from '../../adapters/port/portApiUrl.js';
import { RoomId } from '../../domain/connection/RoomId.js';
import { ValidationError } from '../../domain/shared/ValidationError.js';
import { ConfigurationError } from './ConfigurationError.js';
import type { Profile } from './coreConfig.js';
import type { Env } from './Env.js';
import type { ConfigSection, HermesConfig } from './loadConfig.js';
import { intVar, parseEnv } from './parseEnv.js';

export { DEFAULT_PORT_API_URL };
export const PORT_API_MODES = ['memory', 'http'] as const;
export type PortApiMode = (typeof PORT_API_MODES)[number];

const SECRET_KEYS = ['PORT_CLIENT_ID', 'PORT_CLIENT_SECRET'] as const;

const schema = z.object({
  PORT_API_URL: z._default(z.url({ error: 'must be a URL such as https://api.getport.io/v1' }), DEFAULT_PORT_API_URL),
  PORT_CLIENT_ID: z.optional(z.string()),
  PORT_CLIENT_ID_SECRET_ARN: z.optional(z.string()),
  PORT_CLIENT_SECRET: z.optional(z.string()),
  PORT_CLIENT_SECRET_ARN: z.optional(z.string()),
  PORT_ORG_ID: z.optional(
    z.string().check(z.regex(/^[A-Za-z0-9_-]{1,100}$/, { error: 'must be letters, digits, _ or - (e.g. org_sYG4DOJZNGy8bYnt)' })),
  ),
  PORT_ACTIONS: z.optional(z.string()),
  PORT_ACTION_ALIASES: z.optional(z.string()),
  PORT_DECRYPT_FIELDS: z.optional(z.string()),
  HERMES_RUNS_ROOM: z.optional(z.string()),
  HERMES_PORT_API: z.optional(z.enum(PORT_API_MODES, { error: 'must be memory or http' })),
  HERMES_ACTION_HANDLERS: z.optional(z.string()),
  HERMES_INVOCATIONS: z.optional(z.string()),
  HERMES_RUN_CONCURRENCY: z._default(intVar(1, 1_000), 16),
  HERMES_RUN_TIMEOUT_SECONDS: z._default(intVar(1, 86_400), 900),
  HERMES_RUN_SHUTDOWN_GRACE_SECONDS: z._default(intVar(0, 3_600), 30),
});

export interface PortConfig {
  /** `PORT_API_URL` (`/v1` appended by the client when missing). */
  readonly apiUrl: string;
  /** `memory` records calls in process; `http` calls Port. */
  readonly apiMode: PortApiMode;
  readonly orgId: string | undefined;
  /** `PORT_ACTIONS`; undefined handles every action a handler exists for. */
  readonly allowedActions: ReadonlySet<string> | undefined;
  /** `PORT_ACTION_ALIASES` (`vm_create_vm=create_vm,…`): action identifier → handler's action. */
  readonly actionAliases: ReadonlyMap<string, string>;
  /** `PORT_DECRYPT_FIELDS`: input paths (`password`, `db.password`) to decrypt besides those Port marks. */
  readonly decryptFields: readonly string[];
  /** Room of the run notifications. */
  readonly runsRoom: string;
  /** Port's web app for entity links, derived from the API host (`api.` → `app.`), when it has that form. */
  readonly appUrl: string | undefined;
  /** `HERMES_ACTION_HANDLERS`: handler modules, paths relative to the working directory. */
  readonly handlerModules: readonly string[];
  /** `HERMES_INVOCATIONS`: a port-agent "control the payload" mapping file. */
  readonly invocationsFile: string | undefined;
  /** `HERMES_RUN_CONCURRENCY`: handlers of one partition running at once (default 16; 1 is strictly ordered). */
  readonly runConcurrency: number;
  /** `HERMES_RUN_TIMEOUT_SECONDS` in ms: longer handlers end FAILURE "timed out" (default 900 s). */
  readonly runTimeoutMs: number;
  /** `HERMES_RUN_SHUTDOWN_GRACE_SECONDS` in ms: how long a shutdown waits for runs in flight before aborting them (default 30 s). */
  readonly shutdownGraceMs: number;
  /** Plain credentials from the environment; otherwise the secret provider is asked (Secrets Manager). Never logged. */
  readonly plainCredentials: { readonly clientId?: string; readonly clientSecret?: string };
}

const ACTION_NAME = /^[A-Za-z0-9@_.+:/=-]{1,200}$/;

function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** `vm_create_vm=create_vm,…`; every malformed or repeated entry is a problem naming the variable. */
function parseActionAliases(value: string | undefined, problems: string[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const entry of listOf(value)) {
    const separator = entry.indexOf('=');
    const name = entry.slice(0, separator).trim();
    const target = entry.slice(separator + 1).trim();
    if (separator <= 0 || !ACTION_NAME.test(name) || !ACTION_NAME.test(target) || target.includes('=')) {
      problems.push(`PORT_ACTION_ALIASES: "${entry}" is not <identifier>=<action> (e.g. vm_create_vm=create_vm)`);
    } else if (aliases.has(name)) {
      problems.push(`PORT_ACTION_ALIASES: ${name} is mapped more than once`);
    } else {
      aliases.set(name, target);
    }
  }
  return aliases;
}

/** Input paths; port-agent's `payload.properties.` (or `properties.` / `inputs.`) prefix is accepted. */
function parseDecryptFields(value: string | undefined, problems: string[]): string[] {
  const fields: string[] = [];
  for (const entry of listOf(value)) {
    const path = entry.replace(/^(payload\.properties|properties|inputs)\./, '');
    if (!/^[^.\s]+(\.[^.\s]+)*$/.test(path)) {
      problems.push(`PORT_DECRYPT_FIELDS: "${entry}" is not a dotted input path (e.g. password or db.password)`);
    } else {
      fields.push(path);
    }
  }
  return fields;
}

/** The default runs room when neither variable is set. */
export const DEFAULT_RUNS_ROOM = 'port-runs';

/** The runs room: `HERMES_RUNS_ROOM`, else `port-<PORT_ORG_ID>`, else `port-runs` (not validated here). */
export function runsRoomOf(env: Readonly<Record<string, string | undefined>>): string {
  const room = env['HERMES_RUNS_ROOM']?.trim();
  if (room !== undefined && room !== '') return room;
  const orgId = env['PORT_ORG_ID']?.trim();
  return orgId !== undefined && orgId !== '' ? `port-${orgId}` : DEFAULT_RUNS_ROOM;
}

function appUrlOf(apiUrl: string): string | undefined {
  const url = new URL(apiUrl);
  if (!url.hostname.startsWith('api.')) return undefined;
  return `${url.protocol}//app.${url.hostname.slice('api.'.length)}`;
}

/**
 * The Port side of the runner's configuration. Read only when the runner is resolved, so the
 * notification side never needs it. Without credentials on the `memory` profile, Port is simulated.
 */
export function loadPortConfig(env: Env, profile: Profile): PortConfig {
  const vars = parseEnv(schema, env, SECRET_KEYS);
  const hasCredentials = [vars.PORT_CLIENT_ID, vars.PORT_CLIENT_ID_SECRET_ARN].some((value) => value !== undefined);
  const apiMode = vars.HERMES_PORT_API ?? (hasCredentials || profile !== 'memory' ? 'http' : 'memory');
  const problems: string[] = [];
  if (apiMode === 'http') {
    if (vars.PORT_CLIENT_ID === undefined && vars.PORT_CLIENT_ID_SECRET_ARN === undefined) {
      problems.push('PORT_CLIENT_ID: required to call Port (or set PORT_CLIENT_ID_SECRET_ARN, or HERMES_PORT_API=memory)');
    }
    if (vars.PORT_CLIENT_SECRET === undefined && vars.PORT_CLIENT_SECRET_ARN === undefined) {
      problems.push('PORT_CLIENT_SECRET: required to call Port (or set PORT_CLIENT_SECRET_ARN, or HERMES_PORT_API=memory)');
    }
  }
  const runsRoom = runsRoomOf({ HERMES_RUNS_ROOM: vars.HERMES_RUNS_ROOM, PORT_ORG_ID: vars.PORT_ORG_ID });
  try {
    RoomId.of(runsRoom);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problems.push(`HERMES_RUNS_ROOM: ${error.message.replace(/^room_id: /, '')} (got "${runsRoom}")`);
  }
  const actionAliases = parseActionAliases(vars.PORT_ACTION_ALIASES, problems);
  const decryptFields = parseDecryptFields(vars.PORT_DECRYPT_FIELDS, problems);
  if (problems.length > 0) throw new ConfigurationError(problems);

  const actions = listOf(vars.PORT_ACTIONS);
  return {
    apiUrl: vars.PORT_API_URL,
    apiMode,
    orgId: vars.PORT_ORG_ID,
    allowedActions: actions.length > 0 ? new Set(actions) : undefined,
    actionAliases,
    decryptFields,
    runsRoom,
    appUrl: appUrlOf(vars.PORT_API_URL),
    handlerModules: listOf(vars.HERMES_ACTION_HANDLERS),
    invocationsFile: vars.HERMES_INVOCATIONS?.trim() === '' ? undefined : vars.HERMES_INVOCATIONS?.trim(),
    runConcurrency: vars.HERMES_RUN_CONCURRENCY,
    runTimeoutMs: vars.HERMES_RUN_TIMEOUT_SECONDS * 1000,
    shutdownGraceMs: vars.HERMES_RUN_SHUTDOWN_GRACE_SECONDS * 1000,
    plainCredentials: {
      ...(vars.PORT_CLIENT_ID !== undefined && { clientId: vars.PORT_CLIENT_ID }),
      ...(vars.PORT_CLIENT_SECRET !== undefined && { clientSecret: vars.PORT_CLIENT_SECRET }),
    },
  };
}

/** The runner's Port section, for `loadConfig`'s `sections`. */
export const portSection: ConfigSection = (env, profile) => ({ port: loadPortConfig(env, profile) });

const portConfigs = new WeakMap<HermesConfig, PortConfig>();

/** The Port section: as loaded, or read now (once per configuration); throws ConfigurationError. */
export function portConfigOf(config: HermesConfig): PortConfig {
  if (config.port !== undefined) return config.port;
  let port = portConfigs.get(config);
  if (port === undefined) {
    port = loadPortConfig(config.env, config.core.profile);
    portConfigs.set(config, port);
  }
  return port;
}
