import { ActionInputInvalidError } from '../../domain/runs/ActionInputInvalidError.js';
import type { ActionRun } from '../../domain/runs/ActionRun.js';
import { boundedText, MAX_STATUS_LABEL_LENGTH, MAX_SUMMARY_LENGTH, type RunOutcome } from '../../domain/runs/RunOutcome.js';
import { DomainError, errorMessage, errorName, isRetryable } from '../../domain/shared/HermesError.js';
import type { IdGenerator } from '../shared/ports/IdGenerator.js';
import type { Logger } from '../shared/ports/Logger.js';
import type { ActionHandler, ActionHandlerResult } from './ActionHandler.js';
import { failureOutcome } from './failureOutcome.js';
import { needsStatusPatch, type ExecutedRun } from './finalReport.js';
import { RunAbortedError } from './errors/RunAbortedError.js';
import { RunTimedOutError } from './errors/RunTimedOutError.js';
import type { PortApi } from './ports/PortApi.js';
import { ReceivedRunLog } from './ReceivedRunLog.js';
import { RunLogPipeline } from './RunLogPipeline.js';

function successOutcome(result: ActionHandlerResult): RunOutcome {
  return {
    status: 'SUCCESS',
    ...(result.statusLabel !== undefined && { statusLabel: boundedText(result.statusLabel, MAX_STATUS_LABEL_LENGTH) }),
    ...(result.summary !== undefined && { summary: boundedText(result.summary, MAX_SUMMARY_LENGTH) }),
    ...(result.link !== undefined && result.link.length > 0 && { link: [...result.link] }),
    ...(result.externalRunId !== undefined && { externalRunId: boundedText(result.externalRunId, MAX_STATUS_LABEL_LENGTH) }),
  };
}

/**
 * Executes one run's handler while its log lines stream to Port, and turns what happened into the
 * run's `RunOutcome`: SUCCESS, or FAILURE with a summary a user may read. For a handler that
 * `endsWithLogLine`, its last line comes back unsent when the outcome needs no PATCH, to end the run
 * with. A transient failure (`isRetryable`) is rethrown as is, for the caller to defer the run.
 */
export class ActionExecutor {
  private readonly received = new ReceivedRunLog();

  constructor(
    private readonly port: PortApi,
    private readonly ids: IdGenerator,
    private readonly logger: Logger,
    private readonly limits: ExecutionLimits = { timeoutMs: 900_000 },
  ) {}

  async execute(run: ActionRun, handler: ActionHandler, described: Readonly<Record<string, unknown>>): Promise<ExecutedRun> {
    const logs = new RunLogPipeline(this.port, run.runId, this.logger);
    if (!this.received.has(run.runId)) {
      logs.log(`hermes received run ${run.runId}: executing ${run.action}`, () => this.received.remember(run.runId));
    }
    try {
      if (run.inputsProblem !== undefined) {
        throw new ActionInputInvalidError(run.action, [{ field: '(inputs)', reason: run.inputsProblem }]);
      }
      const result = await this.withinLimits(run, handler, (signal) =>
        handler.handle(run, {
          log: (message) => (handler.endsWithLogLine === true ? logs.hold(message) : logs.log(message)),
          port: this.port,
          signal,
        }),
      );
      const outcome = successOutcome(result);
      if (needsStatusPatch(outcome)) logs.flush();
      const finalLogLine = logs.take();
      await logs.settle();
      return finalLogLine === undefined ? { outcome } : { outcome, finalLogLine };
    } catch (error) {
      logs.flush();
      await logs.settle();
      if (isRetryable(error)) throw error;
      const reference = this.ids.next();
      if (error instanceof DomainError) {
        this.logger.warn('Run failed', { ...described, reference, code: error.code, error: error.message });
        return { outcome: failureOutcome(run.action, error, reference) };
      }
      this.logger.error('Run failed', {
        ...described,
        reference,
        errorName: errorName(error),
        error: errorMessage(error),
        stack: error instanceof Error ? error.stack : undefined,
      });
      return { outcome: failureOutcome(run.action, error, reference) };
    }
  }

  /**
   * Runs the handler until it settles, its time is up (`RunTimedOutError`, a FAILURE) or the runner
   * shuts down (`RunAbortedError`, retried: the run is redelivered); the handler's signal is aborted
   * in both cases. A handler that ignores its signal is left behind, its result ignored.
   */
  private async withinLimits<T>(run: ActionRun, handler: ActionHandler, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { timeoutMs, shutdown } = this.limits;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let onShutdown: (() => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new RunTimedOutError(handler.action, timeoutMs);
        controller.abort(error);
        reject(error);
      }, timeoutMs);
      onShutdown = () => {
        const error = new RunAbortedError(run.runId);
        controller.abort(error);
        reject(error);
      };
      if (shutdown?.aborted === true) onShutdown();
      else shutdown?.addEventListener('abort', onShutdown, { once: true });
    });
    stopped.catch(() => undefined);
    try {
      return await Promise.race([work(controller.signal), stopped]);
    } catch (error) {
      // A handler that gave up because its signal was aborted failed for that reason, not its own.
      if (controller.signal.aborted) throw controller.signal.reason;
      throw error;
    } finally {
      clearTimeout(timer);
      if (onShutdown !== undefined) shutdown?.removeEventListener('abort', onShutdown);
    }
  }
}

/** How long a handler may run, and the runner's shutdown signal. */
export interface ExecutionLimits {
  readonly timeoutMs: number;
  /** Aborted once a shutdown's grace period is over (`RunCancellation`). */
  readonly shutdown?: AbortSignal;
}
