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
   * One attempt at `record`; never rejects. Calls `handled()` as soon as the next record of the
   * partition may start (its handler's outcome is durably recorded; only the report is left). A
   * record that never calls it holds the partition until it settles.
   */
  readonly attempt: (record: R, handled: () => void) => Promise<RecordAttempt>;
  /** Commits the partition through `offset` (that record and every earlier one completed). Called in offset order, one call at a time. */
  readonly commitThrough: (offset: string) => Promise<void>;
  /** False once no new record may start (consumer stopping, partition revoked or sought elsewhere). */
  readonly mayStart: () => boolean;
  /** Records of the partition whose report may still be in flight while the next one runs; 0 makes it sequential. */
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

/**
 * The records of ONE partition, in offset order. A record's handler starts only after the previous
 * record was handled (`handled()`) or settled, so handlers never overlap and keep the partition's
 * order; its report (final status, ledger, notification) may still be in flight while the next
 * handler runs, up to `maxReportsInFlight` of them. Offsets are committed strictly in order, each
 * only once its record and every earlier one completed. When a record fails, no further record
 * starts; the ones in flight settle, the completed prefix is committed, and the failed record is
 * returned for a retry (later records that were already handled are delivered again: the run
 * ledger makes that a report at most, never a second handler run).
 */
export class PartitionPipeline<R extends OffsetRecord> {
  constructor(private readonly options: PartitionPipelineOptions<R>) {}

  async run(records: readonly R[]): Promise<PipelineEnd<R>> {
    const { options } = this;
    const outcomes: Array<RecordAttempt | undefined> = [];
    const reporting = new Set<Promise<void>>();
    const committer = new OrderedCommitter<R>(records, outcomes, options.commitThrough);
    let failed = false;
    let started = 0;
    let error: { readonly cause: unknown } | undefined;

    const mayContinue = (): boolean => !failed && error === undefined && committer.error === undefined && options.mayStart();
    const beat = async (): Promise<void> => {
      await options.heartbeat?.().catch((cause: unknown) => {
        error ??= { cause };
      });
    };
    // A slow handler or report (Port retrying with backoff) must not cost the group membership.
    const keepAlive = options.heartbeat === undefined ? undefined : setInterval(() => void beat(), options.heartbeatEveryMs ?? 3_000);

    try {
      for (const [index, record] of records.entries()) {
        if (!mayContinue()) break;
        while (reporting.size > 0 && reporting.size >= options.maxReportsInFlight) await Promise.race(reporting);
        if (!mayContinue()) break;

        started += 1;
        let signalHandled!: () => void;
        const handled = new Promise<void>((resolve) => {
          signalHandled = resolve;
        });
        const settled = options
          .attempt(record, () => signalHandled())
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
          );
        await Promise.race([handled, settled]);
        if (outcomes[index] === undefined) {
          const inFlight: Promise<void> = settled.finally(() => reporting.delete(inFlight));
          reporting.add(inFlight);
        }
        await beat();
      }
    } finally {
      await Promise.all(reporting);
      await committer.settle();
      clearInterval(keepAlive);
    }
    if (error !== undefined) throw error.cause;
    if (committer.error !== undefined) throw committer.error.cause;

    for (let index = 0; index < started; index += 1) {
      const outcome = outcomes[index];
      if (outcome !== undefined && !outcome.done) {
        const record = records[index]!;
        return outcome.afterMs === undefined ? { kind: 'retry', record } : { kind: 'retry', record, afterMs: outcome.afterMs };
      }
    }
    return started === records.length ? { kind: 'drained' } : { kind: 'interrupted' };
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
