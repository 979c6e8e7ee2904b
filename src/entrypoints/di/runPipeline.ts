import { ActionExecutor } from '../../application/runs/ActionExecutor.js';
import type { ActionHandlerRegistry } from '../../application/runs/ActionHandlerRegistry.js';
import { PartitionRunner, type PartitionRunnerSettings } from '../../application/runs/PartitionRunner.js';
import { WebhookInvocations } from '../../application/runs/invocations/WebhookInvocations.js';
import { RunCancellation } from '../../application/runs/RunCancellation.js';
import type { PortApi } from '../../application/runs/ports/PortApi.js';
import type { RunLedger } from '../../application/runs/ports/RunLedger.js';
import type { SecretInputDecryptor } from '../../application/runs/ports/SecretInputDecryptor.js';
import { IGNORE_RUN_STATUS, type RunStatusListener } from '../../application/runs/ports/RunStatusListener.js';
import { RunLease } from '../../application/runs/RunLease.js';
import type { RunnerSettings } from '../../application/runs/RunnerSettings.js';
import { RunProcessor } from '../../application/runs/RunProcessor.js';
import { RunRouter } from '../../application/runs/RunRouter.js';
import { SecretInputs } from '../../application/runs/SecretInputs.js';
import { HandleActionRun } from '../../application/runs/usecases/HandleActionRun.js';
import { ReportRunOutcome } from '../../application/runs/usecases/ReportRunOutcome.js';
import type { PublishNotification } from '../../application/notifications/usecases/PublishNotification.js';
import type { Clock } from '../../application/shared/ports/Clock.js';
import type { IdGenerator } from '../../application/shared/ports/IdGenerator.js';
import type { Logger } from '../../application/shared/ports/Logger.js';
import { RunsRoomNotifier } from '../../adapters/notifications/RunsRoomNotifier.js';
import type { RunnerExtensions } from '../runner/runnerExtensions.js';

/** What the run pipeline is built from: the adapters and settings the composition picked. */
export interface RunPipelineParts {
  readonly registry: ActionHandlerRegistry;
  readonly settings: RunnerSettings;
  readonly ledger: RunLedger;
  readonly port: PortApi;
  /** Decrypts the secret inputs of runs (Port's client secret). */
  readonly decryptor: SecretInputDecryptor;
  readonly listener: RunStatusListener;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Webhook mappings (`HERMES_INVOCATIONS`), tried for runs no code handler claims. */
  readonly invocations?: RunnerExtensions['invocations'];
  /** `HERMES_RUN_CONCURRENCY` and the other partition settings; defaults otherwise. */
  readonly partition?: Partial<PartitionRunnerSettings>;
}

/** The run pipeline: one message (`processor`) or one partition's records (`partitionRunner`). */
export interface RunPipeline {
  readonly handleRun: HandleActionRun;
  readonly report: ReportRunOutcome;
  /** Parse → HandleActionRun → ReportRunOutcome, for one message (the HTTP runs route). */
  readonly processor: RunProcessor;
  /** One per process: it counts a record's attempts (both Kafka paths). */
  readonly partitionRunner: PartitionRunner;
  /** Aborts the handlers in flight (`ctx.signal`) once a shutdown's grace period is over. */
  readonly cancellation: RunCancellation;
}

/** The run-status listener of the runs room (`HERMES_RUNS_ROOM`), or none: runs never import notifications. */
export function runsRoomListener(publish: PublishNotification, runsRoom: string | undefined): RunStatusListener {
  return runsRoom === undefined ? IGNORE_RUN_STATUS : new RunsRoomNotifier(publish, runsRoom);
}

/** Builds the run pipeline once; both the standalone container and `composeRunner` use it. */
export function buildRunPipeline(parts: RunPipelineParts): RunPipeline {
  const { settings, ledger, port, listener, ids, clock, logger, invocations } = parts;
  const cancellation = new RunCancellation();
  const webhooks =
    invocations === undefined ? undefined : new WebhookInvocations(invocations.mappings, invocations.jq, invocations.client, logger);
  const handleRun = new HandleActionRun(
    new RunRouter(parts.registry, settings.allowedActions, logger, webhooks),
    new RunLease(ledger, settings.leaseMs, ids, clock, logger),
    new ActionExecutor(port, ids, logger, { timeoutMs: settings.runTimeoutMs, shutdown: cancellation.signal }),
    listener,
    logger,
    new SecretInputs(parts.decryptor, settings.decryptFields),
  );
  const report = new ReportRunOutcome(port, ledger, listener, logger);
  // With mappings, the runs Port addresses to its webhook agent are this runner's to forward.
  const processor = new RunProcessor(handleRun, report, logger, { acceptWebhookAgentRuns: webhooks !== undefined });
  return { handleRun, report, processor, partitionRunner: new PartitionRunner(processor, logger, parts.partition), cancellation };
}
