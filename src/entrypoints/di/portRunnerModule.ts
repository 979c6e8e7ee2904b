import { ContainerModule } from 'inversify';
import type { PortApi } from '../../application/runs/ports/PortApi.js';
import { RUN_TOKENS } from '../../application/runs/tokens.js';
import { HandleActionRun } from '../../application/runs/usecases/HandleActionRun.js';
import { ProvisionPortCatalog } from '../../application/runs/usecases/ProvisionPortCatalog.js';
import { portConfigOf } from '../config/portConfig.js';
import { portAdapter } from './adapters/portApi.js';
import { runLedger } from './adapters/runLedger.js';
import { actionHandlerRegistry, runnerSettings } from './composeRunner.js';
import type { Wiring } from './wiring.js';

/** DI tokens of the runner's configuration and concrete Port adapter. */
export const PORT_RUNNER_TOKENS = {
  Config: Symbol.for('hermes.port.Config'),
  /** `InMemoryPortApi` or `PortApiClient`: it is both the PortApi and the PortCatalog. */
  PortAdapter: Symbol.for('hermes.port.Adapter'),
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
    bind(RUN_TOKENS.ActionHandlerRegistry).toDynamicValue((ctx) =>
      actionHandlerRegistry(ctx.get<PortApi>(RUN_TOKENS.PortApi), portConfigOf(wiring.config)),
    );
    bind(RUN_TOKENS.HandleActionRun).to(HandleActionRun);
    bind(RUN_TOKENS.ProvisionPortCatalog).to(ProvisionPortCatalog);
  });
}
