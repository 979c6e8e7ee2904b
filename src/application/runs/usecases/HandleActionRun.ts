import { inject, injectable } from 'inversify';
import type { ActionRun } from '../../../domain/runs/ActionRun.js';
import { parseActionRunMessage } from '../../../domain/runs/parseActionRunMessage.js';
import { RunMessageInvalidError } from '../../../domain/runs/RunMessageInvalidError.js';
import { DomainError } from '../../../domain/shared/HermesError.js';
import {
  boundedText,
  MAX_STATUS_LABEL_LENGTH,
  MAX_SUMMARY_LENGTH,
  type RunOutcome,
} from '../../../domain/runs/RunOutcome.js';
import type { RunStatus } from '../../../domain/runs/RunStatus.js';
import type { PublishNotification } from '../../notifications/usecases/PublishNotification.js';
import { NOTIFICATION_TOKENS } from '../../notifications/tokens.js';
import type { Clock } from '../../shared/ports/Clock.js';
import type { IdGenerator } from '../../shared/ports/IdGenerator.js';
import type { Logger } from '../../shared/ports/Logger.js';
import { SHARED_TOKENS } from '../../shared/tokens.js';
import type { ActionHandler, ActionHandlerResult } from '../ActionHandler.js';
import type { ActionHandlerRegistry } from '../ActionHandlerRegistry.js';
import { isRetryable, retryAfterMsOf } from '../../../domain/shared/HermesError.js';
import { RunDeferredError } from '../errors/RunDeferredError.js';
import { failureOutcome } from '../failureOutcome.js';
import type { PortApi } from '../ports/PortApi.js';
import type { RunLedger } from '../ports/RunLedger.js';
import { RunLogPipeline } from '../RunLogPipeline.js';
import type { RunnerSettings } from '../RunnerSettings.js';
import type { RunResult } from '../RunResult.js';
import { RUN_TOKENS } from '../tokens.js';

export interface HandleActionRunInput {
  /** One message of the runs topic: raw bytes or text as received, or parsed JSON. */
  readonly message: unknown;
  /** Where the message came from (topic, partition, offset), for log lines only. */
  readonly source?: Readonly<Record<string, string | number>>;
  /**
   * Called once the handler's outcome is durably recorded in the ledger (or was already), before
   * the run is reported: a redelivery from then on reports the kept outcome and never runs the
   * handler again, so a consumer may start the next run of the partition while this one reports.
   * Not called when the outcome could not be recorded, nor for skipped or duplicate messages.
   */
  readonly onHandled?: () => void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Executes one Port action run: parse (both message shapes), route by action identifier and trigger
 * operation, claim the run in the ledger, run the handler while its logs stream to Port, report
 * SUCCESS or FAILURE, and tell the runs room. Resolves with what was done; rejects only with
 * `RunDeferredError` when the run must be retried later (Port or the ledger unavailable, run held
 * elsewhere). A message that is not a run, or a run that fails, never rejects.
 */
@injectable()
export class HandleActionRun {
  constructor(
    @inject(RUN_TOKENS.ActionHandlerRegistry) private readonly registry: ActionHandlerRegistry,
    @inject(RUN_TOKENS.PortApi) private readonly port: PortApi,
    @inject(RUN_TOKENS.RunLedger) private readonly ledger: RunLedger,
    @inject(RUN_TOKENS.Settings) private readonly settings: RunnerSettings,
    @inject(NOTIFICATION_TOKENS.PublishNotification) private readonly publish: PublishNotification,
    @inject(SHARED_TOKENS.IdGenerator) private readonly ids: IdGenerator,
    @inject(SHARED_TOKENS.Clock) private readonly clock: Clock,
    @inject(SHARED_TOKENS.Logger) private readonly logger: Logger,
  ) {}

  async execute(input: HandleActionRunInput): Promise<RunResult> {
    const source = input.source ?? {};
    let run: ActionRun;
    try {
      run = parseActionRunMessage(input.message);
    } catch (error) {
      if (!(error instanceof RunMessageInvalidError)) throw error;
      this.logger.warn('Skipped a message that is not a Port action run', { ...source, reason: error.reason });
      return { kind: 'skipped', reason: 'invalid-message', detail: error.reason };
    }
    const described = { ...source, ...run.describe() };

    if (this.settings.allowedActions !== undefined && !this.settings.allowedActions.has(run.action)) {
      this.logger.debug('Ignored a run of an action outside PORT_ACTIONS', described);
      return { kind: 'skipped', reason: 'not-allowed', runId: run.runId, action: run.action };
    }
    const lookup = this.registry.lookup(run.action, run.operation);
    if (lookup.kind === 'unknown-action') {
      this.logger.info('Ignored a run of an action this runner has no handler for (another runner may own it)', described);
      return { kind: 'skipped', reason: 'unknown-action', runId: run.runId, action: run.action };
    }
    if (lookup.kind === 'unsupported-operation') {
      this.logger.info('Ignored a run whose trigger operation the handler does not accept', {
        ...described,
        accepted: lookup.operations.join(','),
      });
      return { kind: 'skipped', reason: 'unsupported-operation', runId: run.runId, action: run.action };
    }

    const claimId = this.ids.next();
    const claim = await this.ledgerStep(run, 'claim the run', () =>
      this.ledger.claim(run.runId, claimId, this.settings.leaseMs),
    );
    switch (claim.kind) {
      case 'reported':
        this.logger.info('Skipped a run that was already handled and reported (redelivery)', described);
        return { kind: 'duplicate', runId: run.runId, action: run.action };
      case 'busy':
        throw new RunDeferredError(
          run.runId,
          'another worker is handling this run',
          Math.max(0, claim.leaseExpiresAt.getTime() - this.clock.now().getTime()),
        );
      case 'handled':
        this.logger.info('Reporting the kept outcome of a run handled before (redelivery)', described);
        input.onHandled?.();
        return this.report(run, claim.outcome, described);
      case 'claimed':
        break;
    }

    this.logger.info('Run received', described);
    const notified = this.notify(run, 'IN_PROGRESS');
    const outcome = await this.runHandler(run, lookup.handler, claimId, described);
    await notified;
    const recorded = await this.ledger.markHandled(run.runId, claimId, outcome).then(
      () => true,
      (error: unknown) => {
        this.logger.warn('Could not record the run outcome in the ledger', { ...described, error: messageOf(error) });
        return false;
      },
    );
    if (recorded) input.onHandled?.();
    return this.report(run, outcome, described);
  }

  /** Runs the handler with its log pipeline; a transient failure releases the claim and defers the run. */
  private async runHandler(
    run: ActionRun,
    handler: ActionHandler,
    claimId: string,
    described: Record<string, unknown>,
  ): Promise<RunOutcome> {
    const logs = new RunLogPipeline(this.port, run.runId, this.logger);
    logs.log(`hermes received run ${run.runId}: executing ${run.action}`);
    try {
      const result = await handler.handle(run, { log: (message) => logs.log(message) });
      await logs.settle();
      return this.successOutcome(result);
    } catch (error) {
      await logs.settle();
      if (isRetryable(error)) {
        await this.ledger.release(run.runId, claimId).catch((releaseError: unknown) => {
          this.logger.warn('Could not release the run claim; a retry waits for the lease to end', {
            ...described,
            error: messageOf(releaseError),
          });
        });
        this.logger.warn('Run deferred: a transient failure, it will be retried', { ...described, error: messageOf(error) });
        throw new RunDeferredError(run.runId, messageOf(error), retryAfterMsOf(error), { cause: error });
      }
      const reference = this.ids.next();
      if (error instanceof DomainError) {
        this.logger.warn('Run failed', { ...described, reference, code: error.code, error: error.message });
        return failureOutcome(run.action, error, reference);
      }
      this.logger.error('Run failed', {
        ...described,
        reference,
        errorName: error instanceof Error ? error.name : typeof error,
        error: messageOf(error),
        stack: error instanceof Error ? error.stack : undefined,
      });
      return failureOutcome(run.action, error, reference);
    }
  }

  private successOutcome(result: ActionHandlerResult): RunOutcome {
    return {
      status: 'SUCCESS',
      ...(result.statusLabel !== undefined && { statusLabel: boundedText(result.statusLabel, MAX_STATUS_LABEL_LENGTH) }),
      ...(result.summary !== undefined && { summary: boundedText(result.summary, MAX_SUMMARY_LENGTH) }),
      ...(result.link !== undefined && result.link.length > 0 && { link: [...result.link] }),
    };
  }

  /** Sends the final status to Port, records it, and tells the runs room. */
  private async report(run: ActionRun, outcome: RunOutcome, described: Record<string, unknown>): Promise<RunResult> {
    let reported = true;
    try {
      await this.port.updateRun(run.runId, {
        status: outcome.status,
        ...(outcome.statusLabel !== undefined && { statusLabel: outcome.statusLabel }),
        ...(outcome.summary !== undefined && { summary: outcome.summary }),
        ...(outcome.link !== undefined && { link: outcome.link }),
      });
    } catch (error) {
      if (isRetryable(error)) {
        this.logger.warn('Run status not reported yet: a transient failure, it will be retried', {
          ...described,
          status: outcome.status,
          error: messageOf(error),
        });
        throw new RunDeferredError(run.runId, `reporting ${outcome.status}: ${messageOf(error)}`, retryAfterMsOf(error), {
          cause: error,
        });
      }
      reported = false;
      this.logger.error('Port refused the run status for good; the run is left as Port has it', {
        ...described,
        status: outcome.status,
        error: messageOf(error),
      });
    }
    await this.ledger.markReported(run.runId).catch((error: unknown) => {
      this.logger.warn('Could not record the reported run in the ledger; a redelivery reports it again', {
        ...described,
        error: messageOf(error),
      });
    });
    this.logger.info('Run completed', { ...described, status: outcome.status, reported });
    await this.notify(run, outcome.status, outcome);
    return { kind: 'completed', runId: run.runId, action: run.action, outcome, reported };
  }

  /** Tells the runs room about a status change. Best effort: never fails the run. */
  private async notify(run: ActionRun, status: RunStatus, outcome?: RunOutcome): Promise<void> {
    const roomId = this.settings.runsRoom;
    if (roomId === undefined) return;
    try {
      await this.publish.execute({
        roomId,
        type: 'run',
        data: {
          runId: run.runId,
          action: run.action,
          status,
          summary: outcome?.summary ?? null,
          link: outcome?.link?.[0] ?? null,
        },
      });
    } catch (error) {
      this.logger.warn('Could not publish the run notification', { runId: run.runId, status, error: messageOf(error) });
    }
  }

  /** A ledger call; its failure defers the run (the ledger is what prevents running a handler twice). */
  private async ledgerStep<T>(run: ActionRun, what: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      this.logger.warn(`Run deferred: could not ${what} in the ledger`, { runId: run.runId, error: messageOf(error) });
      throw new RunDeferredError(run.runId, `the run ledger failed to ${what}: ${messageOf(error)}`, undefined, {
        cause: error,
      });
    }
  }
}
