import type { ActionRun } from '../../domain/runs/ActionRun.js';
import { parseActionRunMessage, type ParseRunOptions } from '../../domain/runs/parseActionRunMessage.js';
import { RunMessageInvalidError } from '../../domain/runs/RunMessageInvalidError.js';
import { RunMessageNotForRunnerError } from '../../domain/runs/RunMessageNotForRunnerError.js';
import type { Logger } from '../shared/ports/Logger.js';
import type { RunResult } from './RunResult.js';
import type { HandleActionRun } from './usecases/HandleActionRun.js';
import type { ReportRunOutcome } from './usecases/ReportRunOutcome.js';

/** A run under way: `done` settles once it is reported (or skipped). */
export interface RunStarted {
  /** True once the next run of the partition may start: the outcome is durable, only the report is left (or nothing). */
  readonly mayOverlap: boolean;
  /** The run's result; rejects with `RunDeferredError` when the run must be retried. */
  readonly done: Promise<RunResult>;
}

/** What `PartitionRunner` needs: start one message's run. */
export interface RunStarter {
  start(message: unknown, source?: Readonly<Record<string, string | number>>): Promise<RunStarted>;
  /** What orders this message among the partition's (runs sharing it run one at a time); undefined orders nothing. */
  orderingKey?(message: unknown): string | undefined;
}

/**
 * One message of the runs topic, from raw bytes to its result: parse it (a message that is not a
 * run is skipped and logged, naming why but nothing of its content), then `HandleActionRun`, then
 * `ReportRunOutcome`. The Kafka paths (through `PartitionRunner`) and the HTTP route use it.
 */
export class RunProcessor implements RunStarter {
  /** Reports under way, by run id: a second copy of a run waits for the first copy's report before it claims the run. */
  private readonly reporting = new Map<string, Promise<unknown>>();
  /** Runs read by `orderingKey`, so `start` does not parse the same bytes again. */
  private readonly parsed = new WeakMap<object, ActionRun>();

  constructor(
    private readonly handle: HandleActionRun,
    private readonly report: ReportRunOutcome,
    private readonly logger: Logger,
    private readonly parseOptions: ParseRunOptions = {},
  ) {}

  /**
   * Resolves once the run's handler is done and its outcome durable (or the run settled): what is
   * left runs in `done`. Rejects with `RunDeferredError` when the run must be retried.
   */
  async start(message: unknown, source: Readonly<Record<string, string | number>> = {}): Promise<RunStarted> {
    let run = typeof message === 'object' && message !== null ? this.parsed.get(message) : undefined;
    try {
      run ??= parseActionRunMessage(message, this.parseOptions);
    } catch (error) {
      if (error instanceof RunMessageNotForRunnerError) {
        this.logger.info('Skipped a Port message that is not an action run for this runner', {
          ...source,
          kind: error.kind,
          ...(error.runId !== undefined && { runId: error.runId }),
        });
        return settled({ kind: 'skipped', reason: error.kind, ...(error.runId !== undefined && { runId: error.runId }) });
      }
      if (!(error instanceof RunMessageInvalidError)) throw error;
      this.logger.warn('Skipped a message that is not a Port action run', { ...source, reason: error.reason });
      return settled({ kind: 'skipped', reason: 'invalid-message', detail: error.reason });
    }
    // The ledger says "handled" until the report lands, so a copy claiming meanwhile would report again.
    const earlier = this.reporting.get(run.runId);
    if (earlier !== undefined) await earlier.catch(() => undefined);
    const handling = await this.handle.execute(run, source);
    if (handling.kind === 'settled') return settled(handling.result);
    const done = this.report.execute(handling.run, handling.outcome, { ...source, ...run.describe() }, handling.finalLogLine);
    const tracked = done.finally(() => {
      if (this.reporting.get(run.runId) === tracked) this.reporting.delete(run.runId);
    });
    this.reporting.set(run.runId, tracked);
    // Awaited by whoever holds `done`; this only keeps an early rejection from being reported as unhandled.
    tracked.catch(() => undefined);
    return { mayOverlap: handling.durable, done };
  }

  /** The run's entity (`entity:<id>`), else its run id (`run:<id>`): copies of one run, or runs on one entity, never overlap. */
  orderingKey(message: unknown): string | undefined {
    try {
      const run = parseActionRunMessage(message, this.parseOptions);
      if (typeof message === 'object' && message !== null) this.parsed.set(message, run);
      return run.entity !== undefined && run.entity !== null ? `entity:${run.entity}` : `run:${run.runId}`;
    } catch {
      return undefined;
    }
  }

  /** The whole run, report included. */
  async process(message: unknown, source: Readonly<Record<string, string | number>> = {}): Promise<RunResult> {
    return (await this.start(message, source)).done;
  }
}

function settled(result: RunResult): RunStarted {
  return { mayOverlap: true, done: Promise.resolve(result) };
}
