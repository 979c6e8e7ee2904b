import type { ActionRun } from '../../../domain/runs/ActionRun.js';
import type { RunOutcome } from '../../../domain/runs/RunOutcome.js';
import type { ExecutedRun } from '../finalReport.js';
import { errorMessage, isRetryable, retryAfterMsOf } from '../../../domain/shared/HermesError.js';
import type { Logger } from '../../shared/ports/Logger.js';
import type { ActionExecutor } from '../ActionExecutor.js';
import { announceRunStatus } from '../announceRunStatus.js';
import { RunDeferredError } from '../errors/RunDeferredError.js';
import type { RunStatusListener } from '../ports/RunStatusListener.js';
import { NO_SECRET_INPUT_DECRYPTOR } from '../ports/SecretInputDecryptor.js';
import type { RunLease } from '../RunLease.js';
import type { RunResult } from '../RunResult.js';
import type { RunRouter } from '../RunRouter.js';
import { SecretInputs } from '../SecretInputs.js';

/** How far HandleActionRun took a run. */
export type RunHandling =
  /** Nothing is left to do: skipped (routing) or already reported (a redelivery). */
  | { readonly kind: 'settled'; readonly result: RunResult }
  /**
   * The handler's outcome is known and must now be reported (`ReportRunOutcome`). `durable`: the
   * outcome is in the ledger, so a redelivery reports it and never runs the handler again: the next
   * run of a partition may start while this one is reported.
   */
  | {
      readonly kind: 'handled';
      readonly run: ActionRun;
      readonly outcome: RunOutcome;
      readonly durable: boolean;
      /** The handler's last log line, held back to end the run with (`ReportRunOutcome`). */
      readonly finalLogLine?: string;
    };

/**
 * Handles one Port action run up to its outcome: route it (allow-list, handler registry), claim it
 * in the ledger, tell the listener it is IN_PROGRESS, execute its handler (secret inputs decrypted
 * for it alone, `SecretInputs`), record the outcome.
 * Rejects only with `RunDeferredError` when the run must be retried later (Port or the ledger
 * unavailable, run held elsewhere); a run that fails is a FAILURE outcome, never a rejection.
 */
export class HandleActionRun {
  constructor(
    private readonly router: RunRouter,
    private readonly lease: RunLease,
    private readonly executor: ActionExecutor,
    private readonly listener: RunStatusListener,
    private readonly logger: Logger,
    private readonly secretInputs: SecretInputs = new SecretInputs(NO_SECRET_INPUT_DECRYPTOR),
  ) {}

  async execute(run: ActionRun, source: Readonly<Record<string, string | number>> = {}): Promise<RunHandling> {
    const described = { ...source, ...run.describe() };
    const route = this.router.route(run, described);
    if (route.kind === 'skip') return { kind: 'settled', result: route.result };

    const claim = await this.lease.claim(run);
    if (claim.kind === 'reported') {
      this.logger.info('Skipped a run that was already handled and reported (redelivery)', described);
      return { kind: 'settled', result: { kind: 'duplicate', runId: run.runId, action: run.action } };
    }
    if (claim.kind === 'handled') {
      this.logger.info('Reporting the kept outcome of a run handled before (redelivery)', described);
      return { kind: 'handled', run, outcome: claim.outcome, durable: true };
    }

    this.logger.info('Run received', described);
    const announced = announceRunStatus(this.listener, this.logger, { runId: run.runId, action: run.action, status: 'IN_PROGRESS' });
    let executed: ExecutedRun;
    try {
      executed = await this.executor.execute(run, this.secretInputs.guard(run, route.handler), described);
    } catch (error) {
      await announced;
      if (!isRetryable(error)) throw error;
      await this.lease.release(run, claim.claimId, described);
      this.logger.warn('Run deferred: a transient failure, it will be retried', { ...described, error: errorMessage(error) });
      throw new RunDeferredError(run.runId, errorMessage(error), retryAfterMsOf(error), { cause: error });
    }
    await announced;
    const { outcome, finalLogLine } = executed;
    const durable = await this.lease.recordOutcome(run, claim.claimId, outcome, described);
    return { kind: 'handled', run, outcome, durable, ...(finalLogLine !== undefined && { finalLogLine }) };
  }
}
