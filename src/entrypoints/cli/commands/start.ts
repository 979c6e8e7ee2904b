import type { Command, CommandIo } from '../Command.js';
import { ConfigurationError } from '../../config/ConfigurationError.js';
import { PROFILES, type Profile } from '../../config/coreConfig.js';
import { fileDevSecrets } from '../../config/devSecrets.js';
import { runsRoomOf } from '../../config/portConfig.js';
import { type RunningGateway, startGateway } from '../../standalone/startGateway.js';
import { parseOptions, UsageError } from './args.js';

const USAGE = `Usage: hermes start [--port N] [--host HOST] [--stage STAGE] [--profile memory|localstack|aws|redis] [--template FILE] [--watch]

Starts the local gateway: the WebSocket API (the Lambda handlers behind a local API Gateway),
its @connections API, the backend endpoints (tokens, publish), the demo page and the queue poller.
Stops gracefully on SIGTERM or Ctrl+C (sockets closed with 1001, $disconnect run for each).

Options (each overrides its variable):
  --port N         HERMES_PORT, default 3001 (0 picks a free port)
  --host HOST      HERMES_HOST, default 127.0.0.1
  --stage STAGE    HERMES_STAGE, default local
  --profile NAME   HERMES_PROFILE, default memory (no cloud at all)
  --template FILE  HERMES_TEMPLATE, default hermes' template.yaml: the SAM template whose WebSocket API
                   (routes, authorizer, route responses, Node.js handlers) is hosted; any SAM WebSocket API works
  --watch          reload a handler when its source changes; open connections stay

Other variables: HERMES_ADMIN_KEY, JWT_SECRET, TOKEN_PASSCODE (in memory, generated when unset and kept
in HERMES_DEV_SECRETS_FILE, default .hermes/dev-secrets.json, for the next start), HERMES_IDLE_TIMEOUT_SECONDS (600), HERMES_MAX_CONNECTION_SECONDS (7200),
HERMES_MAX_MESSAGE_BYTES (131072), HERMES_MAX_FRAME_BYTES (32768), HERMES_CONNECTIONS_RPS,
HERMES_CONNECTIONS_BURST, HERMES_NEW_CONNECTIONS_RPS (API Gateway throttling, 0 = off).`;

/** Resolves when the process is asked to stop. */
export type ShutdownSignal = () => Promise<NodeJS.Signals>;

/** SIGTERM or SIGINT; a second one while stopping forces the exit. */
export const processSignals: ShutdownSignal = () =>
  new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      const force = (): never => process.exit(130);
      process.once('SIGTERM', force);
      process.once('SIGINT', force);
      resolve(signal);
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });

function banner(gateway: RunningGateway, devSecretsFile: string | undefined, runsRoom: string): string {
  const lines = [
    `hermes is running (profile ${gateway.profile}, stage ${gateway.stage})`,
    `  open the demo:  ${gateway.url}/`,
    `  websocket:      ${gateway.websocketUrl}?token=<token>`,
    `  tokens:         POST ${gateway.url}/${gateway.stage}/tokens`,
    `  publish:        POST ${gateway.url}/${gateway.stage}/rooms/<room_id>/messages`,
    `  @connections:   ${gateway.url}/${gateway.stage}/@connections/<connection_id>`,
    `  console:        ${gateway.url}/admin  (operator console: enter the admin key)`,
    `  metrics:        ${gateway.url}/metrics  (Prometheus); readiness: ${gateway.url}/ready`,
    `  runs room:      ${runsRoom}  (Port run notifications; HERMES_RUNS_ROOM, else port-<PORT_ORG_ID>, else port-runs)`,
  ];
  if (gateway.adminKeyGenerated) {
    lines.push(`  admin key:      ${gateway.adminKey}  (generated; set HERMES_ADMIN_KEY to choose one)`);
  }
  const generated = [...gateway.generatedSecrets, ...(gateway.adminKeyGenerated ? ['HERMES_ADMIN_KEY'] : [])];
  if (devSecretsFile !== undefined && generated.length > 0) {
    // Never the values (the JWT secret signs every token): only where they are kept.
    lines.push(`  dev secrets:    ${generated.join(', ')} kept in ${devSecretsFile} (reused on the next start)`);
  }
  lines.push('Press Ctrl+C to stop.');
  return `${lines.join('\n')}\n`;
}

export function createStartCommand(waitForShutdown: ShutdownSignal = processSignals): Command {
  return {
    name: 'start',
    summary: 'Start the local gateway and the demo page (same as npm start)',
    usage: USAGE,
    async run(argv: readonly string[], io: CommandIo): Promise<number> {
      const flags = parseOptions(argv, {
        port: { type: 'string' },
        host: { type: 'string' },
        stage: { type: 'string' },
        profile: { type: 'string' },
        template: { type: 'string' },
        watch: { type: 'boolean' },
      });
      const port = flags.port === undefined ? undefined : Number(flags.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
        throw new UsageError(`--port must be an integer between 0 and 65535 (got "${flags.port}")`);
      }
      if (flags.profile !== undefined && !(PROFILES as readonly string[]).includes(flags.profile)) {
        throw new UsageError(`--profile must be one of ${PROFILES.join(', ')} (got "${flags.profile}")`);
      }
      const stopRequested = waitForShutdown();
      const profile = (flags.profile as Profile | undefined) ?? io.env['HERMES_PROFILE']?.trim();
      // Development secrets survive restarts only where hermes generates them: the memory profile.
      const devSecrets = profile === undefined || profile === '' || profile === 'memory' ? fileDevSecrets(io.env) : undefined;
      let gateway: RunningGateway;
      try {
        gateway = await startGateway({
          env: io.env,
          ...(devSecrets ? { devSecrets } : {}),
          ...(flags.profile ? { profile: flags.profile as Profile } : {}),
          ...(port !== undefined ? { port } : {}),
          ...(flags.host ? { host: flags.host } : {}),
          ...(flags.stage ? { stage: flags.stage } : {}),
          ...(flags.template ? { template: flags.template } : {}),
          ...(flags.watch ? { watch: true } : {}),
        });
      } catch (error) {
        if (error instanceof ConfigurationError || error instanceof Error) {
          io.stderr(`hermes start: ${error.message}\n`);
          return 1;
        }
        throw error;
      }
      io.stdout(banner(gateway, devSecrets?.path, runsRoomOf(io.env)));
      const signal = await stopRequested;
      io.stdout(`${signal} received: closing connections\n`);
      await gateway.stop();
      io.stdout('hermes stopped\n');
      return 0;
    },
  };
}

export const startCommand: Command = createStartCommand();
