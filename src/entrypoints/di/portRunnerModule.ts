import { ContainerModule, type ResolutionContext } from 'inversify';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ActionHandlerRegistry } from '../../application/runs/ActionHandlerRegistry.js';
import { CreateVmHandler } from '../../application/runs/handlers/CreateVmHandler.js';
import type { PortApi } from '../../application/runs/ports/PortApi.js';
import { DEFAULT_RUNNER_SETTINGS, type RunnerSettings } from '../../application/runs/RunnerSettings.js';
import { RUN_TOKENS } from '../../application/runs/tokens.js';
import { HandleActionRun } from '../../application/runs/usecases/HandleActionRun.js';
import { ReportRunOutcome } from '../../application/runs/usecases/ReportRunOutcome.js';
import { ActionExecutor } from '../../application/runs/ActionExecutor.js';
import { PartitionRunner } from '../../application/runs/PartitionRunner.js';
import { IGNORE_RUN_STATUS, type RunStatusListener } from '../../application/runs/ports/RunStatusListener.js';
import type { RunLedger } from '../../application/runs/ports/RunLedger.js';
import { RunLease } from '../../application/runs/RunLease.js';
import { RunProcessor } from '../../application/runs/RunProcessor.js';
import { RunRouter } from '../../application/runs/RunRouter.js';
import type { IdGenerator } from '../../application/shared/ports/IdGenerator.js';
import type { PublishNotification } from '../../application/notifications/usecases/PublishNotification.js';
import { NOTIFICATION_TOKENS } from '../../application/notifications/tokens.js';
import { RunsRoomNotifier } from '../../adapters/notifications/RunsRoomNotifier.js';
import { ProvisionPortCatalog } from '../../application/runs/usecases/ProvisionPortCatalog.js';
import type { Clock } from '../../application/shared/ports/Clock.js';
import type { Logger } from '../../application/shared/ports/Logger.js';
import type { SecretProvider } from '../../application/shared/ports/SecretProvider.js';
import { SHARED_TOKENS } from '../../application/shared/tokens.js';
import { DynamoRunLedger } from '../../adapters/aws/DynamoRunLedger.js';
import { InMemoryRunLedger } from '../../adapters/memory/InMemoryRunLedger.js';
import { InMemoryPortApi } from '../../adapters/port/InMemoryPortApi.js';
import { PortApiClient } from '../../adapters/port/PortApiClient.js';
import type { AwsConfig } from '../config/awsConfig.js';
import type { CoreConfig } from '../config/coreConfig.js';
import type { Env } from '../config/Env.js';
import { loadPortConfig, type PortConfig } from '../config/portConfig.js';
import { AWS_TOKENS } from './awsBindings.js';
import { ENTRYPOINT_TOKENS } from './tokens.js';

/** DI tokens of the runner's configuration and concrete Port adapter. */
export const PORT_RUNNER_TOKENS = {
  Config: Symbol.for('hermes.port.Config'),
  /** `InMemoryPortApi` or `PortApiClient`: it is both the PortApi and the PortCatalog. */
  PortAdapter: Symbol.for('hermes.port.Adapter'),
} as const;

function portConfigOf(ctx: ResolutionContext): PortConfig {
  return ctx.get<PortConfig>(PORT_RUNNER_TOKENS.Config);
}

function portClient(ctx: ResolutionContext, config: PortConfig): PortApiClient {
  const secrets = ctx.get<SecretProvider>(SHARED_TOKENS.SecretProvider);
  const { clientId, clientSecret } = config.plainCredentials;
  return new PortApiClient({
    baseUrl: config.apiUrl,
    logger: ctx.get<Logger>(SHARED_TOKENS.Logger),
    credentials: async () => ({
      clientId: clientId ?? (await secrets.get('PORT_CLIENT_ID')),
      clientSecret: clientSecret ?? (await secrets.get('PORT_CLIENT_SECRET')),
    }),
  });
}

/** Link to an entity's page in Port's web app (`https://app.getport.io/vmEntity?identifier=...`). */
function entityUrlFor(appUrl: string | undefined): ((blueprint: string, identifier: string) => string) | undefined {
  if (appUrl === undefined) return undefined;
  return (blueprint, identifier) => `${appUrl}/${encodeURIComponent(blueprint)}Entity?identifier=${encodeURIComponent(identifier)}`;
}

/**
 * The Port action runner: HandleActionRun, its handlers, the Port adapter (`HERMES_PORT_API`:
 * memory, or http with `PORT_CLIENT_ID`/`PORT_CLIENT_SECRET`) and the run ledger (DynamoDB table
 * `HERMES_RUN_LEDGER_TABLE` when connections live in DynamoDB, else in memory). Every binding is
 * lazy: Port settings are read only when the runner is resolved.
 */
export function portRunnerModule(core: CoreConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(PORT_RUNNER_TOKENS.Config).toDynamicValue((ctx) => loadPortConfig(ctx.get<Env>(ENTRYPOINT_TOKENS.Env), core.profile));
    bind(PORT_RUNNER_TOKENS.PortAdapter).toDynamicValue((ctx) => {
      const config = portConfigOf(ctx);
      return config.apiMode === 'memory' ? new InMemoryPortApi() : portClient(ctx, config);
    });
    bind(RUN_TOKENS.PortApi).toService(PORT_RUNNER_TOKENS.PortAdapter);
    bind(RUN_TOKENS.PortCatalog).toService(PORT_RUNNER_TOKENS.PortAdapter);

    bind(RUN_TOKENS.RunLedger).toDynamicValue((ctx) => {
      const clock = ctx.get<Clock>(SHARED_TOKENS.Clock);
      if (core.adapters.connectionStore !== 'dynamodb') return new InMemoryRunLedger(clock);
      return new DynamoRunLedger(
        ctx.get<DynamoDBDocumentClient>(AWS_TOKENS.DynamoDocumentClient),
        ctx.get<AwsConfig>(AWS_TOKENS.Config).tables.runLedger,
        clock,
      );
    });
    bind(RUN_TOKENS.Settings).toDynamicValue((ctx): RunnerSettings => {
      const config = portConfigOf(ctx);
      return {
        ...DEFAULT_RUNNER_SETTINGS,
        runsRoom: config.runsRoom,
        ...(config.allowedActions !== undefined && { allowedActions: config.allowedActions }),
      };
    });
    bind(RUN_TOKENS.ActionHandlerRegistry).toDynamicValue((ctx) => {
      const port = ctx.get<PortApi>(RUN_TOKENS.PortApi);
      const config = portConfigOf(ctx);
      // Links only point at Port's web app when runs really go to Port.
      const entityUrl = config.apiMode === 'http' ? entityUrlFor(config.appUrl) : undefined;
      return new ActionHandlerRegistry([new CreateVmHandler(port, entityUrl !== undefined ? { entityUrl } : {})]);
    });
    bind(RUN_TOKENS.RunStatusListener).toDynamicValue((ctx): RunStatusListener => {
      const room = ctx.get<RunnerSettings>(RUN_TOKENS.Settings).runsRoom;
      return room === undefined ? IGNORE_RUN_STATUS : new RunsRoomNotifier(ctx.get<PublishNotification>(NOTIFICATION_TOKENS.PublishNotification), room);
    });
    bind(RUN_TOKENS.HandleActionRun).toDynamicValue((ctx) => {
      const settings = ctx.get<RunnerSettings>(RUN_TOKENS.Settings);
      const logger = ctx.get<Logger>(SHARED_TOKENS.Logger);
      const ids = ctx.get<IdGenerator>(SHARED_TOKENS.IdGenerator);
      return new HandleActionRun(
        new RunRouter(ctx.get<ActionHandlerRegistry>(RUN_TOKENS.ActionHandlerRegistry), settings.allowedActions, logger),
        new RunLease(ctx.get<RunLedger>(RUN_TOKENS.RunLedger), settings.leaseMs, ids, ctx.get<Clock>(SHARED_TOKENS.Clock), logger),
        new ActionExecutor(ctx.get<PortApi>(RUN_TOKENS.PortApi), ids, logger),
        ctx.get<RunStatusListener>(RUN_TOKENS.RunStatusListener),
        logger,
      );
    });
    bind(RUN_TOKENS.ReportRunOutcome).toDynamicValue(
      (ctx) =>
        new ReportRunOutcome(
          ctx.get<PortApi>(RUN_TOKENS.PortApi),
          ctx.get<RunLedger>(RUN_TOKENS.RunLedger),
          ctx.get<RunStatusListener>(RUN_TOKENS.RunStatusListener),
          ctx.get<Logger>(SHARED_TOKENS.Logger),
        ),
    );
    bind(RUN_TOKENS.RunProcessor).toDynamicValue(
      (ctx) =>
        new RunProcessor(
          ctx.get<HandleActionRun>(RUN_TOKENS.HandleActionRun),
          ctx.get<ReportRunOutcome>(RUN_TOKENS.ReportRunOutcome),
          ctx.get<Logger>(SHARED_TOKENS.Logger),
        ),
    );
    bind(RUN_TOKENS.PartitionRunner).toDynamicValue(
      (ctx) => new PartitionRunner(ctx.get<RunProcessor>(RUN_TOKENS.RunProcessor), ctx.get<Logger>(SHARED_TOKENS.Logger)),
    );
    bind(RUN_TOKENS.ProvisionPortCatalog).to(ProvisionPortCatalog);
  });
}
