import { ActionHandlerRegistry } from '../../application/runs/ActionHandlerRegistry.js';
import { CreateVmHandler } from '../../application/runs/handlers/CreateVmHandler.js';
import { DEFAULT_RUNNER_SETTINGS, type RunnerSettings } from '../../application/runs/RunnerSettings.js';
import { ProvisionPortCatalog } from '../../application/runs/usecases/ProvisionPortCatalog.js';
import { PublishNotification } from '../../application/notifications/usecases/PublishNotification.js';
import type { PortApi } from '../../application/runs/ports/PortApi.js';
import type { SecretProvider } from '../../application/shared/ports/SecretProvider.js';
import { RandomIdGenerator } from '../../adapters/system/RandomIdGenerator.js';
import type { HermesConfig } from '../config/loadConfig.js';
import { portConfigOf, type PortConfig } from '../config/portConfig.js';
import { notificationQueue } from './adapters/notificationQueue.js';
import { portAdapter, type PortAdapter } from './adapters/portApi.js';
import { runLedger } from './adapters/runLedger.js';
import { secretInputDecryptor } from './adapters/secretInputDecryptor.js';
import { secretProvider } from './adapters/secretProvider.js';
import { observedPortApi, observedRunListener } from './observability.js';
import { buildRunPipeline, runsRoomListener, type RunPipeline } from './runPipeline.js';
import { createWiring, type Wiring, type WiringOverrides } from './wiring.js';
import { NO_RUNNER_EXTENSIONS, type RunnerExtensions } from '../runner/runnerExtensions.js';

/** What the Port action runner is made of, for the Lambda handler, the kafkajs consumer and the CLI. */
export interface RunnerComposition {
  readonly config: PortConfig;
  /** The run pipeline: one message (`processor`, the HTTP runs route) or a partition (`partitionRunner`, both Kafka paths). */
  readonly pipeline: RunPipeline;
  readonly provisionCatalog: ProvisionPortCatalog;
  /** The Port adapter (in-memory when simulated: tests read its calls). */
  readonly port: PortAdapter;
  /** For the Kafka password (`KAFKA_PASSWORD_SECRET_ARN`). */
  readonly secrets: SecretProvider;
  readonly wiring: Wiring;
}

/** Link to an entity's page in Port's web app (`https://app.getport.io/vmEntity?identifier=...`). */
function entityUrlFor(appUrl: string | undefined): ((blueprint: string, identifier: string) => string) | undefined {
  if (appUrl === undefined) return undefined;
  return (blueprint, identifier) => `${appUrl}/${encodeURIComponent(blueprint)}Entity?identifier=${encodeURIComponent(identifier)}`;
}

/** The runner's settings from the Port section. */
export function runnerSettings(port: PortConfig): RunnerSettings {
  return {
    ...DEFAULT_RUNNER_SETTINGS,
    runTimeoutMs: port.runTimeoutMs,
    runsRoom: port.runsRoom,
    ...(port.decryptFields.length > 0 && { decryptFields: port.decryptFields }),
    ...(port.allowedActions !== undefined && { allowedActions: port.allowedActions }),
  };
}

/**
 * The action handlers: the built-in create_vm and those of handler modules (`HERMES_ACTION_HANDLERS`).
 * Links only point at Port's web app when runs really go to Port.
 */
export function actionHandlerRegistry(
  api: PortApi,
  port: PortConfig,
  extensions: RunnerExtensions = NO_RUNNER_EXTENSIONS,
): ActionHandlerRegistry {
  const entityUrl = port.apiMode === 'http' ? entityUrlFor(port.appUrl) : undefined;
  return new ActionHandlerRegistry(
    [new CreateVmHandler(api, entityUrl !== undefined ? { entityUrl } : {}), ...extensions.handlers.map((entry) => entry.handler)],
    port.actionAliases,
  );
}

/**
 * The runner: the run pipeline with its handlers, the Port adapter (`HERMES_PORT_API`), the run
 * ledger (`HERMES_RUN_LEDGER`) and run notifications published to the notification queue.
 * Reads the Port section now: a ConfigurationError names what is missing.
 */
export function composeRunner(
  config: HermesConfig,
  from: Wiring | WiringOverrides = {},
  extensions: RunnerExtensions = NO_RUNNER_EXTENSIONS,
): RunnerComposition {
  const wiring = 'once' in from ? from : createWiring(config, from);
  const port = portConfigOf(config);
  const api = portAdapter(wiring);
  const metered = observedPortApi(api, wiring);
  const registry = actionHandlerRegistry(metered, port, extensions);
  const settings = runnerSettings(port);
  const ids = new RandomIdGenerator();
  const publish = new PublishNotification(notificationQueue(wiring), ids, wiring.clock);
  const pipeline = wiring.once('runner.pipeline', () =>
    buildRunPipeline({
      registry,
      settings,
      ledger: runLedger(wiring),
      port: metered,
      decryptor: secretInputDecryptor(wiring),
      listener: observedRunListener(runsRoomListener(publish, settings.runsRoom), wiring),
      ids,
      clock: wiring.clock,
      logger: wiring.logger,
      partition: { concurrency: port.runConcurrency },
      ...(extensions.invocations !== undefined && { invocations: extensions.invocations }),
    }),
  );
  return {
    config: port,
    pipeline,
    provisionCatalog: new ProvisionPortCatalog(api),
    port: api,
    secrets: secretProvider(wiring),
    wiring,
  };
}
