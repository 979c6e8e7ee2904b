import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { KafkaRunProducer } from '../../../adapters/kafka/KafkaRunProducer.js';
import type { Logger } from '../../../application/shared/ports/Logger.js';
import { VM_REGIONS } from '../../../application/runs/catalog/vmCatalog.js';
import { redactUrl } from '../../../domain/shared/redactUrl.js';
import type { Env } from '../../config/Env.js';
import { kafkaConfigured, kafkaSection, loadKafkaConfig } from '../../config/kafkaConfig.js';
import { portSection } from '../../config/portConfig.js';
import { loadConfig } from '../../config/loadConfig.js';
import { composeRunner } from '../../di/composeRunner.js';
import { kafkaConnection } from '../../runner/createRunConsumer.js';
import type { Command, CommandIo } from '../Command.js';
import { required, requireAll, UsageError } from './args.js';
import { gatewayTarget, postJson } from './gatewayHttp.js';

const USAGE = `Usage: hermes port <subcommand> [options]

Subcommands:
  provision   Create or update, in Port, the "vm" blueprint and the "create_vm" self-service
              action (invocation: Kafka) of the tutorial. Needs PORT_CLIENT_ID and
              PORT_CLIENT_SECRET (or their *_SECRET_ARN); PORT_API_URL picks the region
              (default https://api.getport.io/v1, US: https://api.us.getport.io/v1).

  simulate create_vm --cpu N --memory GB --storage GB --region REGION [--title TITLE]
  simulate ACTION [--operation CREATE|DAY-2|DELETE] [--entity ID] [--blueprint BP]
                  [--inputs JSON] [--input NAME=VALUE ...]
              Builds the run message Port would publish (the tutorial's v1 envelope) and
              - with KAFKA_BROKERS set: produces it to KAFKA_RUNS_TOPIC (default ORG_ID.runs),
                where a running runner (\`hermes start\`, or the action-runner Lambda) takes it;
              - otherwise: POSTs it to the running local gateway (/{stage}/port/runs), whose
                in-process runner executes it at once: no Kafka and no Port account needed.
              Regions: ${VM_REGIONS.join(', ')}.

              Any action works: the built-in create_vm, or one of your handler modules
              (HERMES_ACTION_HANDLERS) or webhook mappings (HERMES_INVOCATIONS) loaded by the runner.

Options of simulate:
  --title TITLE    the VM's title (its entity identifier is the title slugified)
  --cpu N          CPU cores (required)
  --memory GB      memory (required)
  --storage GB     storage (required)
  --region REGION  deployment region (required)
  --operation OP   trigger operation of another action (default CREATE)
  --entity ID      the entity a DAY-2 or DELETE run acts on
  --blueprint BP   the action's blueprint
  --inputs JSON    the run's inputs as a JSON object
  --input N=V      one input (repeatable); V is read as JSON when it parses (2, true), else as text
  --run-id ID      the run id (default: run_sim_<random>)
  --dry-run        print the message instead of sending it
  --url URL        the gateway, default http://$HERMES_HOST:$HERMES_PORT (http://127.0.0.1:3001)
  --stage STAGE    default $HERMES_STAGE, else local
  --admin-key KEY  default $HERMES_ADMIN_KEY

Exit codes: 0 done (simulate: the run succeeded, or was produced to Kafka), 1 failure (a run
that ended FAILURE or was skipped, Port or the gateway unreachable), 2 usage error.`;

/** The CLI writes to stderr only what the user should see; library chatter stays quiet. */
const quietLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function numberFlag(value: string | undefined, flag: string): number {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required`);
  const number = Number(value);
  if (!Number.isFinite(number)) throw new UsageError(`${flag} must be a number (got "${value}")`);
  return number;
}

/** The run message Port publishes for a `create_vm` run (the tutorial's example, v1 envelope). */
export function createVmRunMessage(
  runId: string,
  orgId: string,
  inputs: { title?: string; cpu: number; memory: number; storage: number; region: string },
): Record<string, unknown> {
  return {
    action: 'create_vm',
    resourceType: 'run',
    status: 'TRIGGERED',
    trigger: { by: { userId: 'hermes-cli@simulate', orgId }, at: new Date().toISOString(), origin: 'API' },
    context: { entity: null, blueprint: 'vm', runId },
    payload: {
      entity: null,
      action: { identifier: 'create_vm', title: 'Create VM', blueprint: 'vm', invocationMethod: { type: 'KAFKA' }, trigger: 'CREATE' },
      properties: {
        ...(inputs.title !== undefined && { title: inputs.title }),
        cpu: inputs.cpu,
        memory: inputs.memory,
        storage: inputs.storage,
        region: inputs.region,
      },
    },
  };
}

/** `--inputs` (a JSON object) and `--input name=value` flags (values parsed as JSON when they parse). */
function inputsOf(json: string | undefined, pairs: readonly string[]): Record<string, unknown> {
  let inputs: Record<string, unknown> = {};
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json) as unknown;
    } catch {
      throw new UsageError('--inputs must be a JSON object, e.g. \'{"environment":"staging"}\'');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('--inputs must be a JSON object');
    inputs = { ...(parsed as Record<string, unknown>) };
  }
  for (const pair of pairs) {
    const separator = pair.indexOf('=');
    if (separator <= 0) throw new UsageError(`--input must be NAME=VALUE (got "${pair}")`);
    const value = pair.slice(separator + 1);
    try {
      inputs[pair.slice(0, separator)] = JSON.parse(value) as unknown;
    } catch {
      inputs[pair.slice(0, separator)] = value;
    }
  }
  return inputs;
}

/** The run message Port publishes for a run of any action (v1 envelope). */
export function actionRunMessage(
  runId: string,
  orgId: string,
  action: string,
  run: { operation: string; entity?: string; blueprint?: string; inputs: Record<string, unknown> },
): Record<string, unknown> {
  return {
    action,
    resourceType: 'run',
    status: 'TRIGGERED',
    trigger: { by: { userId: 'hermes-cli@simulate', orgId }, at: new Date().toISOString(), origin: 'API' },
    context: { entity: run.entity ?? null, blueprint: run.blueprint ?? null, runId },
    payload: {
      entity: run.entity === undefined ? null : { identifier: run.entity },
      action: {
        identifier: action,
        ...(run.blueprint !== undefined && { blueprint: run.blueprint }),
        invocationMethod: { type: 'KAFKA' },
        trigger: run.operation,
      },
      properties: run.inputs,
    },
  };
}

async function provisionPort(io: CommandIo): Promise<number> {
  const runner = composeRunner(loadConfig(io.env, { profile: 'memory', sections: [portSection] }), { logger: quietLogger });
  const { config } = runner;
  if (config.apiMode === 'memory') {
    throw new UsageError(
      'no Port credentials: set PORT_CLIENT_ID and PORT_CLIENT_SECRET (or PORT_CLIENT_ID_SECRET_ARN / PORT_CLIENT_SECRET_ARN)',
    );
  }
  const result = await runner.provisionCatalog.execute();
  for (const blueprint of result.blueprints) io.stdout(`blueprint ${blueprint.identifier}: ${blueprint.disposition}\n`);
  for (const action of result.actions) io.stdout(`action ${action.identifier}: ${action.disposition}\n`);
  io.stdout(`Port: ${redactUrl(config.apiUrl)}\n`);
  return 0;
}

async function produceToKafka(env: Env, runId: string, message: Record<string, unknown>, io: CommandIo): Promise<number> {
  const hermes = loadConfig(env, { profile: 'memory', sections: [kafkaSection, portSection] });
  const config = hermes.kafka ?? loadKafkaConfig(env);
  const runner = composeRunner(hermes, { logger: quietLogger });
  const producer = new KafkaRunProducer(kafkaConnection(config, runner.secrets, 'hermes-cli'), quietLogger);
  await producer.connect();
  try {
    const [landed] = await producer.send(config.topic, [{ key: runId, value: JSON.stringify(message) }]);
    io.stdout(`produced run ${runId} to ${config.topic} (partition ${landed?.partition ?? '?'}, offset ${landed?.baseOffset ?? '?'})\n`);
  } finally {
    await producer.disconnect();
  }
  return 0;
}

async function postToGateway(
  flags: { url?: string | undefined; stage?: string | undefined; 'admin-key'?: string | undefined },
  runId: string,
  message: Record<string, unknown>,
  io: CommandIo,
): Promise<number> {
  const answer = await postJson(gatewayTarget(flags, io.env), '/port/runs', message);
  const kind = answer['kind'];
  if (kind === 'completed') {
    const outcome = (answer['outcome'] ?? {}) as { status?: string; summary?: string; link?: string[] };
    io.stdout(`run ${runId}: ${outcome.status ?? '?'}${outcome.summary ? ` — ${outcome.summary}` : ''}\n`);
    for (const link of outcome.link ?? []) io.stdout(`  ${link}\n`);
    return outcome.status === 'SUCCESS' ? 0 : 1;
  }
  if (kind === 'duplicate') {
    io.stdout(`run ${runId}: already handled (duplicate)\n`);
    return 0;
  }
  io.stderr(
    `run ${runId} was not executed: ${String(answer['reason'] ?? kind)}${answer['reason'] === 'not-allowed' ? ' (see PORT_ACTIONS)' : ''}\n`,
  );
  return 1;
}

async function simulate(argv: readonly string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        title: { type: 'string' },
        cpu: { type: 'string' },
        memory: { type: 'string' },
        storage: { type: 'string' },
        region: { type: 'string' },
        operation: { type: 'string' },
        entity: { type: 'string' },
        blueprint: { type: 'string' },
        inputs: { type: 'string' },
        input: { type: 'string', multiple: true },
        'run-id': { type: 'string' },
        'dry-run': { type: 'boolean' },
        url: { type: 'string' },
        stage: { type: 'string' },
        'admin-key': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values: flags, positionals } = parsed;
  const [action, ...extra] = positionals;
  if (action === undefined) throw new UsageError('which action? e.g. `hermes port simulate create_vm --cpu 2 ...`');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const runId = flags['run-id'] ?? `run_sim_${randomBytes(8).toString('hex')}`;
  if (action !== 'create_vm') {
    const message = actionRunMessage(runId, io.env['PORT_ORG_ID'] ?? 'org_local', action, {
      operation: (flags.operation ?? 'CREATE').toUpperCase(),
      ...(flags.entity !== undefined && { entity: flags.entity }),
      ...(flags.blueprint !== undefined && { blueprint: flags.blueprint }),
      inputs: inputsOf(flags.inputs, flags.input ?? []),
    });
    if (flags['dry-run']) {
      io.stdout(`${JSON.stringify(message, null, 2)}\n`);
      return 0;
    }
    return kafkaConfigured(io.env) ? produceToKafka(io.env, runId, message, io) : postToGateway(flags, runId, message, io);
  }
  requireAll({ '--cpu': flags.cpu, '--memory': flags.memory, '--storage': flags.storage, '--region': flags.region });
  const region = required(flags.region, '--region');
  const message = createVmRunMessage(runId, io.env['PORT_ORG_ID'] ?? 'org_local', {
    ...(flags.title !== undefined && { title: flags.title }),
    cpu: numberFlag(flags.cpu, '--cpu'),
    memory: numberFlag(flags.memory, '--memory'),
    storage: numberFlag(flags.storage, '--storage'),
    region,
  });
  if (flags['dry-run']) {
    io.stdout(`${JSON.stringify(message, null, 2)}\n`);
    return 0;
  }
  return kafkaConfigured(io.env) ? produceToKafka(io.env, runId, message, io) : postToGateway(flags, runId, message, io);
}

export const portCommand: Command = {
  name: 'port',
  summary: 'Port action runner tools: provision the vm blueprint and create_vm action, simulate a run',
  usage: USAGE,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    const [subcommand, ...rest] = argv;
    if (subcommand === undefined || subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
      io.stdout(`${USAGE}\n`);
      return subcommand === undefined ? 2 : 0;
    }
    switch (subcommand) {
      case 'provision':
        if (rest.length > 0) throw new UsageError(`provision takes no arguments (got "${rest[0]}")`);
        return provisionPort(io);
      case 'simulate':
        return simulate(rest, io);
      default:
        throw new UsageError(`unknown subcommand "${subcommand}" (provision or simulate)`);
    }
  },
};
