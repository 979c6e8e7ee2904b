import type { ActionRun } from '../../../domain/runs/ActionRun.js';
import type { RunOutcome } from '../../../domain/runs/RunOutcome.js';
import { errorMessage, isRetryable, retryAfterMsOf } from '../../../domain/shared/HermesError.js';
import type { Logger } from '../../shared/ports/Logger.js';
import { announceRunStatus } from '../announceRunStatus.js';
import { RunDeferredError } from '../errors/RunDeferredError.js';
import type { PortApi } from '../ports/PortApi.js';
import type { RunLedger } from '../ports/RunLedger.js';
import type { RunStatusListener } from '../ports/RunStatusListener.js';
import type { RunResult } from '../RunResult.js';
import { needsStatusPatch } from '../finalReport.js';

/**
 * Reports a handled run: its final status to Port, then "reported" in the ledger (a redelivery is
 * then skipped), then the status change to the listener. The status goes with the handler's held
 * last log line in one call (`terminationStatus`) when there is one and the outcome sets no status
 * label, summary or link; otherwise by PATCH. Rejects only with `RunDeferredError` when Port is
 * transiently unavailable; a status Port refuses for good is logged and the run completes.
 */
export class ReportRunOutcome {
  constructor(
    private readonly port: PortApi,
    private readonly ledger: RunLedger,
    private readonly listener: RunStatusListener,
    private readonly logger: Logger,
  ) {}

  async execute(
    run: ActionRun,
    outcome: RunOutcome,
    described: Readonly<Record<string, unknown>> = run.describe(),
    finalLogLine?: string,
  ): Promise<RunResult> {
    let reported = true;
    try {
      if (finalLogLine !== undefined && !needsStatusPatch(outcome)) {
        await this.port.addRunLog(run.runId, finalLogLine, outcome.status);
      } else {
        if (finalLogLine !== undefined) await this.sendLine(run.runId, finalLogLine, described);
        await this.port.updateRun(run.runId, {
          status: outcome.status,
          ...(outcome.statusLabel !== undefined && { statusLabel: outcome.statusLabel }),
          ...(outcome.summary !== undefined && { summary: outcome.summary }),
          ...(outcome.link !== undefined && { link: outcome.link }),
          ...(outcome.externalRunId !== undefined && { externalRunId: outcome.externalRunId }),
        });
      }
    } catch (error) {
      if (isRetryable(error)) {
        this.logger.warn('Run status not reported yet: a transient failure, it will be retried', {
          ...described,
          status: outcome.status,
          error: errorMessage(error),
        });
        throw new RunDeferredError(run.runId, `reporting ${outcome.status}: ${errorMessage(error)}`, retryAfterMsOf(error), {
          cause: error,
        });
      }
      reported = false;
      this.logger.error('Port refused the run status for good; the run is left as Port has it', {
        ...described,
        status: outcome.status,
        error: errorMessage(error),
      });
    }
    await this.ledger.markReported(run.runId).catch((error: unknown) => {
      this.logger.warn('Could not record the reported run in the ledger; a redelivery reports it again', {
        ...described,
        error: errorMessage(error),
      });
    });
    this.logger.info('Run completed', { ...described, status: outcome.status, reported });
    await announceRunStatus(this.listener, this.logger, { runId: run.runId, action: run.action, status: outcome.status, outcome });
    return { kind: 'completed', runId: run.runId, action: run.action, outcome, reported };
  }

  /** A held line when the status must go by PATCH after all; a line Port refuses does not hold the status up. */
  private async sendLine(runId: string, line: string, described: Readonly<Record<string, unknown>>): Promise<void> {
    await this.port.addRunLog(runId, line).catch((error: unknown) => {
      this.logger.warn('A run log line was not delivered to Port', { ...described, error: errorMessage(error) });
    });
  }
}
