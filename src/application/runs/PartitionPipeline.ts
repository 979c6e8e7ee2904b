/** What the pipeline needs of a record: its offset in the partition. */
export interface OffsetRecord {
  readonly offset: string;
}

/** How one attempt at a record ended. */
export type RecordAttempt =
  /** Completed (or skipped for good): its offset may be committed. */
  | { readonly done: true }
  /** Not completed: the partition must be consumed again from this record, after `afterMs` at least. */
  | { readonly done: false; readonly afterMs?: number };

export interface PartitionPipelineOptions<R extends OffsetRecord> {
  /**
   * One attempt at `record`; never rejects. Calls `handled()` as soon as the next record of its
   * ordering key may start (its handler's outcome is durably recorded; only the report is left). A
   * record that never calls it holds its key (and its handler slot) until it settles.
   */
  readonly attempt: (record: R, handled: () => void) => Promise<RecordAttempt>;
  /** Commits the partition through `offset` (that record and every earlier one completed). Called in offset order, one call at a time. */
  readonly commitThrough: (offset: string) => Promise<void>;
  /** False once no new record may start (consumer stopping, partition revoked or sought elsewhere). */
  readonly mayStart: () => boolean;
  /**
   * Handlers of the partition running at once (`HERMES_RUN_CONCURRENCY`); default 1, today's
   * strictly ordered design. Records of one ordering key never run at once, whatever this is.
   */
  readonly maxConcurrent?: number;
  /**
   * The record's ordering key: records sharing one run one at a time, in offset order. Undefined
   * (or a record without a key) orders nothing.
   */
  readonly keyOf?: (record: R) => string | undefined;
  /** Records of the partition whose report may still be in flight beside the handlers; 0 makes each record hold its slot until reported. */
  readonly maxReportsInFlight: number;
  /** Keeps the group membership alive: called between records and, while any record is in flight, every `heartbeatEveryMs`. */
  readonly heartbeat?: () => Promise<void>;
  /** Default 3 s (kafkajs' default heartbeat interval); kafkajs itself skips calls that come too soon. */
  readonly heartbeatEveryMs?: number;
}

/** How a pipeline run over a batch ended; every record it started has settled. */
export type PipelineEnd<R extends OffsetRecord> =
  /** Every record completed and is committed. */
  | { readonly kind: 'drained' }
  /** Stopped early (`mayStart` turned false); the completed prefix is committed, the rest was never started. */
  | { readonly kind: 'interrupted' }
  /** `record` (the earliest that did not complete) must be retried; nothing from it on is committed. */
  | { readonly kind: 'retry'; readonly record: R; readonly afterMs?: number };

/** Where a started record is: running its handler (holding a slot and its key), or only reporting. */
type Phase = 'handling' | 'reporting';

/**
 * The records of ONE partition. Up to `maxConcurrent` handlers run at once, started in offset order
 * as slots free up; a record whose ordering key is held by an earlier record waits for it (handled
 * or settled) without holding up the records behind it — no head-of-line blocking. A record's
 * report (final status, ledger, notification) may still be in flight after its slot is freed, up
 * to `maxReportsInFlight` of them. Offsets are committed strictly in order, each only once its record
 * and every earlier one completed, so a crash redelivers whatever was not reported. When a record
 * fails, no further record starts; the ones in flight settle, the completed prefix is committed, and
 * the earliest record that did not complete is returned for a retry (later records that already
 * completed are delivered again: the run ledger makes that a report at most, never a second handler run).
 */
export class PartitionPipeline<R extends OffsetRecord> {
  constructor(private readonly options: PartitionPipelineOptions<R>) {}

  async run(records: readonly R[]): Promise<PipelineEnd<R>> {
    const { options } = this;
    const maxConcurrent = Math.max(1, options.maxConcurrent ?? 1);
    const keys = records.map((record) => options.keyOf?.(record));
    const outcomes: Array<RecordAttempt | undefined> = [];
    const phases = new Map<number, Phase>();
    const heldKeys = new Set<string>();
    const waiting: number[] = records.map((_, index) => index);
    const inFlight = new Set<Promise<void>>();
    const committer = new OrderedCommitter<R>(records, outcomes, options.commitThrough);
    let failed = false;
    let error: { readonly cause: unknown } | undefined;
    let wake: (() => void) | undefined;
    const changed = (): void => {
      wake?.();
      wake = undefined;
    };

    const mayContinue = (): boolean => !failed && error === undefined && committer.error === undefined && options.mayStart();
    const count = (phase: Phase): number => [...phases.values()].filter((p) => p === phase).length;
    const beat = async (): Promise<void> => {
      await options.heartbeat?.().catch((cause: unknown) => {
        error ??= { cause };
      });
    };
    // A slow handler or report (Port retrying with backoff) must not cost the group membership.
    const keepAlive = options.heartbeat === undefined ? undefined : setInterval(() => void beat(), options.heartbeatEveryMs ?? 3_000);

    const release = (index: number): void => {
      const key = keys[index];
      if (key !== undefined) heldKeys.delete(key);
    };
    const start = (index: number): void => {
      const key = keys[index];
      if (key !== undefined) heldKeys.add(key);
      phases.set(index, 'handling');
      const handled = (): void => {
        if (phases.get(index) !== 'handling' || count('reporting') >= options.maxReportsInFlight) return;
        phases.set(index, 'reporting');
        release(index);
        changed();
      };
      const settled: Promise<void> = options
        .attempt(records[index]!, handled)
        .then(
          (outcome) => {
            outcomes[index] = outcome;
            if (outcome.done) committer.advance();
            else failed = true;
          },
          (cause: unknown) => {
            outcomes[index] = { done: false };
            failed = true;
            error ??= { cause };
          },
        )
        .finally(() => {
          if (phases.get(index) === 'handling') release(index);
          phases.delete(index);
          inFlight.delete(settled);
          changed();
        });
      inFlight.add(settled);
    };
    /** The earliest waiting record whose key is free, if a slot is. */
    const next = (): number | undefined => {
      if (count('handling') >= maxConcurrent) return undefined;
      const reporting = count('reporting');
      if (reporting > 0 && reporting >= options.maxReportsInFlight) return undefined;
      const position = waiting.findIndex((index) => keys[index] === undefined || !heldKeys.has(keys[index]));
      return position < 0 ? undefined : waiting.splice(position, 1)[0];
    };

    try {
      while (mayContinue() && (waiting.length > 0 || inFlight.size > 0)) {
        const index = next();
        if (index !== undefined) {
          start(index);
          continue;
        }
        const woken = new Promise<void>((resolve) => (wake = resolve));
        await woken;
        await beat();
      }
    } finally {
      await Promise.all(inFlight);
      await committer.settle();
      clearInterval(keepAlive);
    }
    if (error !== undefined) throw error.cause;
    if (committer.error !== undefined) throw committer.error.cause;

    const earliest = records.findIndex((_, index) => outcomes[index]?.done !== true);
    if (earliest < 0) return { kind: 'drained' };
    const outcome = outcomes[earliest];
    if (!failed) return { kind: 'interrupted' };
    const record = records[earliest]!;
    return outcome !== undefined && !outcome.done && outcome.afterMs !== undefined
      ? { kind: 'retry', record, afterMs: outcome.afterMs }
      : { kind: 'retry', record };
  }
}

/** Commits the completed prefix of a batch, one commit at a time, coalescing what completed meanwhile. */
class OrderedCommitter<R extends OffsetRecord> {
  private completed = 0;
  private committed = 0;
  private running: Promise<void> | undefined;
  private failure: { readonly cause: unknown } | undefined;

  constructor(
    private readonly records: readonly R[],
    private readonly outcomes: ReadonlyArray<RecordAttempt | undefined>,
    private readonly commitThrough: (offset: string) => Promise<void>,
  ) {}

  /** The first commit failure; once set, nothing more is committed. */
  get error(): { readonly cause: unknown } | undefined {
    return this.failure;
  }

  /** Called when a record completed: extends the completed prefix and commits it. */
  advance(): void {
    while (this.outcomes[this.completed]?.done === true) this.completed += 1;
    this.kick();
  }

  /** Resolves once every completed record is committed (or a commit failed: see `error`). */
  async settle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  /** Starts committing unless a commit is under way; re-checks when it ends, so nothing completed meanwhile is left behind. */
  private kick(): void {
    if (this.running !== undefined || this.failure !== undefined || this.completed <= this.committed) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.completed > this.committed && this.failure === undefined) {
      const through = this.completed;
      try {
        await this.commitThrough(this.records[through - 1]!.offset);
        this.committed = through;
      } catch (cause) {
        this.failure = { cause };
      }
    }
  }
}
