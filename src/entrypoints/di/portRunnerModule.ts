import { ContainerModule } from 'inversify';
import type { ActionHandlerRegistry } from '../../application/runs/ActionHandlerRegistry.js';
import type { PortApi } from '../../application/runs/ports/PortApi.js';
import type { RunLedger } from '../../application/runs/ports/RunLedger.js';
import type { RunStatusListener } from '../../application/runs/ports/RunStatusListener.js';
import type { RunnerSettings } from '../../application/runs/RunnerSettings.js';
import { RUN_TOKENS } from '../../application/runs/tokens.js';
import { ProvisionPortCatalog } from '../../application/runs/usecases/ProvisionPortCatalog.js';
import { NOTIFICATION_TOKENS } from '../../application/notifications/tokens.js';
import type { PublishNotification } from '../../application/notifications/usecases/PublishNotification.js';
import type { Clock } from '../../application/shared/ports/Clock.js';
import type { IdGenerator } from '../../application/shared/ports/IdGenerator.js';
import type { Logger } from '../../application/shared/ports/Logger.js';
import { SHARED_TOKENS } from '../../application/shared/tokens.js';
import { portConfigOf } from '../config/portConfig.js';
import { portAdapter } from './adapters/portApi.js';
import { runLedger } from './adapters/runLedger.js';
import { secretInputDecryptor } from './adapters/secretInputDecryptor.js';
import { actionHandlerRegistry, runnerSettings } from './composeRunner.js';
import { observedPortApi, observedRunListener } from './observability.js';
import { buildRunPipeline, runsRoomListener, type RunPipeline } from './runPipeline.js';
import type { Wiring } from './wiring.js';
import { NO_RUNNER_EXTENSIONS, type RunnerExtensions } from '../runner/runnerExtensions.js';

function optionalInvocations(extensions: RunnerExtensions): Pick<RunnerExtensions, 'invocations'> {
  return extensions.invocations === undefined ? {} : { invocations: extensions.invocations };
}

const PIPELINE = Symbol.for('hermes.runs.Pipeline');

/** DI tokens of the runner's configuration and concrete Port adapter. */
export const PORT_RUNNER_TOKENS = {
  Config: Symbol.for('hermes.port.Config'),
  /** `InMemoryPortApi` or `PortApiClient`: it is both the PortApi and the PortCatalog. */
  PortAdapter: Symbol.for('hermes.port.Adapter'),
  /** Handler modules and webhook mappings loaded at start-up (`RunnerExtensions`); none by default. */
  Extensions: Symbol.for('hermes.port.Extensions'),
  /** The pipeline's `RunCancellation` (graceful shutdown). */
  Cancellation: Symbol.for('hermes.port.Cancellation'),
} as const;

/**
 * The Port action runner: HandleActionRun, its handlers, the Port adapter (`HERMES_PORT_API`) and
 * the run ledger (`HERMES_RUN_LEDGER`). Every binding is lazy: Port settings are read only when the
 * runner is resolved.
 */
export function portRunnerModule(wiring: Wiring): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(PORT_RUNNER_TOKENS.Config).toDynamicValue(() => portConfigOf(wiring.config));
    bind(PORT_RUNNER_TOKENS.PortAdapter).toDynamicValue(() => portAdapter(wiring));
    bind(RUN_TOKENS.PortApi).toService(PORT_RUNNER_TOKENS.PortAdapter);
    bind(RUN_TOKENS.PortCatalog).toService(PORT_RUNNER_TOKENS.PortAdapter);
    bind(RUN_TOKENS.RunLedger).toDynamicValue(() => runLedger(wiring));
    bind(RUN_TOKENS.Settings).toDynamicValue(() => runnerSettings(portConfigOf(wiring.config)));
    bind(PORT_RUNNER_TOKENS.Extensions).toConstantValue(NO_RUNNER_EXTENSIONS);
    bind(RUN_TOKENS.ActionHandlerRegistry).toDynamicValue((ctx) =>
      actionHandlerRegistry(
        observedPortApi(ctx.get<PortApi>(RUN_TOKENS.PortApi), wiring),
        portConfigOf(wiring.config),
        ctx.get<RunnerExtensions>(PORT_RUNNER_TOKENS.Extensions),
      ),
    );
    bind(RUN_TOKENS.RunStatusListener).toDynamicValue((ctx) =>
      runsRoomListener(
        ctx.get<PublishNotification>(NOTIFICATION_TOKENS.PublishNotification),
        ctx.get<RunnerSettings>(RUN_TOKENS.Settings).runsRoom,
      ),
    );
    bind(PIPELINE).toDynamicValue((ctx) =>
      buildRunPipeline({
        registry: ctx.get<ActionHandlerRegistry>(RUN_TOKENS.ActionHandlerRegistry),
        settings: ctx.get<RunnerSettings>(RUN_TOKENS.Settings),
        ledger: ctx.get<RunLedger>(RUN_TOKENS.RunLedger),
        port: observedPortApi(ctx.get<PortApi>(RUN_TOKENS.PortApi), wiring),
        decryptor: secretInputDecryptor(wiring),
        listener: observedRunListener(ctx.get<RunStatusListener>(RUN_TOKENS.RunStatusListener), wiring),
        ids: ctx.get<IdGenerator>(SHARED_TOKENS.IdGenerator),
        clock: ctx.get<Clock>(SHARED_TOKENS.Clock),
        logger: ctx.get<Logger>(SHARED_TOKENS.Logger),
        partition: { concurrency: portConfigOf(wiring.config).runConcurrency },
        ...optionalInvocations(ctx.get<RunnerExtensions>(PORT_RUNNER_TOKENS.Extensions)),
      }),
    );
    bind(PORT_RUNNER_TOKENS.Cancellation).toDynamicValue((ctx) => ctx.get<RunPipeline>(PIPELINE).cancellation);
    bind(RUN_TOKENS.HandleActionRun).toDynamicValue((ctx) => ctx.get<RunPipeline>(PIPELINE).handleRun);
    bind(RUN_TOKENS.ReportRunOutcome).toDynamicValue((ctx) => ctx.get<RunPipeline>(PIPELINE).report);
    bind(RUN_TOKENS.RunProcessor).toDynamicValue((ctx) => ctx.get<RunPipeline>(PIPELINE).processor);
    bind(RUN_TOKENS.PartitionRunner).toDynamicValue((ctx) => ctx.get<RunPipeline>(PIPELINE).partitionRunner);
    bind(RUN_TOKENS.ProvisionPortCatalog).to(ProvisionPortCatalog);
  });
}
