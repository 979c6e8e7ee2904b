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

/** One record offered to a stream; its record is dropped once it settled, so completed records behind a slow one cost only their offset. */
interface Entry<R extends OffsetRecord> {
  readonly offset: string;
  record: R | undefined;
  readonly key: string | undefined;
  outcome: RecordAttempt | undefined;
}

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
 *
 * `run` takes one batch and settles it (Lambda: one invocation); `open` gives a long-lived
 * `PartitionStream` that records are offered to batch after batch (kafkajs), so a slow run does not
 * hold the records fetched after it either.
 */
export class PartitionPipeline<R extends OffsetRecord> {
  constructor(private readonly options: PartitionPipelineOptions<R>) {}

  /** Runs one batch to the end: every record it started has settled when this resolves. */
  async run(records: readonly R[]): Promise<PipelineEnd<R>> {
    const stream = this.open();
    // The whole batch is in memory already: no window to wait for.
    void stream.offer(records, Number.POSITIVE_INFINITY);
    return stream.close();
  }

  /** A stream over the partition that stays open (and keeps scheduling) until `close` or a failure. */
  open(): PartitionStream<R> {
    return new PartitionStream(this.options);
  }
}

/**
 * A long-lived scheduler of one partition: `offer` hands records over (in offset order, batch
 * after batch) and resolves once the records not yet started fit the window, so memory stays
 * bounded and a full window holds the caller back (backpressure). It ends on `close` (after every
 * offered record settled), when `mayStart` turns false or a record must be retried; `ended` says how.
 */
export class PartitionStream<R extends OffsetRecord> {
  private readonly entries: Array<Entry<R>> = [];
  private readonly waiting: Array<Entry<R>> = [];
  private readonly phases = new Map<Entry<R>, Phase>();
  private readonly counts: Record<Phase, number> = { handling: 0, reporting: 0 };
  private readonly heldKeys = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly committer: OrderedCommitter<R>;
  private readonly maxConcurrent: number;
  /** Offers waiting for room, each with its window. */
  private readonly roomWaiters = new Map<() => void, number>();
  private closed = false;
  private failed = false;
  private error: { readonly cause: unknown } | undefined;
  private wake: (() => void) | undefined;
  private lastOffset: bigint | undefined;
  /** How the stream ended (rejects on a commit or heartbeat failure); every record it started has settled by then. */
  readonly ended: Promise<PipelineEnd<R>>;

  constructor(private readonly options: PartitionPipelineOptions<R>) {
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? 1);
    this.committer = new OrderedCommitter<R>(this.entries, options.commitThrough);
    this.ended = this.pump();
    // The caller may only look at `ended` after `close`; a rejection is never unhandled meanwhile.
    this.ended.catch(() => undefined);
  }

  /** True while offered records will still be scheduled. */
  get accepting(): boolean {
    return !this.closed && this.mayContinue();
  }

  /**
   * Queues `records` (offsets at or below one already offered are ignored: a redelivery of the
   * same fetch). Resolves true once at most `window` records (default `maxConcurrent`) wait to
   * start, false when the stream stopped scheduling (the records are not run; see `ended`).
   */
  async offer(records: readonly R[], window = this.maxConcurrent): Promise<boolean> {
    if (!this.accepting) return false;
    const ordered = [...records].sort((a, b) => compareOffsets(a.offset, b.offset));
    for (const record of ordered) {
      const offset = BigInt(record.offset);
      if (this.lastOffset !== undefined && offset <= this.lastOffset) continue;
      this.lastOffset = offset;
      const entry: Entry<R> = { offset: record.offset, record, key: this.options.keyOf?.(record), outcome: undefined };
      this.entries.push(entry);
      this.waiting.push(entry);
    }
    this.changed();
    while (this.accepting && this.waiting.length > window) {
      await new Promise<void>((resolve) => this.roomWaiters.set(resolve, window));
    }
    return this.accepting || (this.closed && this.mayContinue());
  }

  /** No more records: resolves (as `ended`) once every offered record settled and the completed ones are committed. */
  close(): Promise<PipelineEnd<R>> {
    this.closed = true;
    this.changed();
    return this.ended;
  }

  /** Wakes the scheduler (a slot freed, `mayStart` may have turned false). */
  changed(): void {
    this.wake?.();
    this.wake = undefined;
    this.makeRoom();
  }

  /** Lets the offers waiting for room go on, once the records waiting to start fit the window (or nothing will start any more). */
  private makeRoom(): void {
    if (this.roomWaiters.size === 0) return;
    const accepting = this.accepting;
    for (const [waiter, window] of this.roomWaiters) {
      if (accepting && this.waiting.length > window) continue;
      this.roomWaiters.delete(waiter);
      waiter();
    }
  }

  private mayContinue(): boolean {
    return !this.failed && this.error === undefined && this.committer.error === undefined && this.options.mayStart();
  }

  private count(phase: Phase): number {
    return this.counts[phase];
  }

  /** Moves `entry` to `phase` (undefined: settled), keeping the per-phase counts the scheduler reads on every decision. */
  private setPhase(entry: Entry<R>, phase: Phase | undefined): void {
    const before = this.phases.get(entry);
    if (before !== undefined) this.counts[before] -= 1;
    if (phase === undefined) this.phases.delete(entry);
    else {
      this.phases.set(entry, phase);
      this.counts[phase] += 1;
    }
  }

  private async beat(): Promise<void> {
    await this.options.heartbeat?.().catch((cause: unknown) => {
      this.error ??= { cause };
    });
  }

  private async pump(): Promise<PipelineEnd<R>> {
    const { options } = this;
    // A slow handler or report (Port retrying with backoff) must not cost the group membership.
    const keepAlive =
      options.heartbeat === undefined
        ? undefined
        : setInterval(() => {
            if (this.inFlight.size > 0) void this.beat();
          }, options.heartbeatEveryMs ?? 3_000);
    try {
      while (this.mayContinue() && (!this.closed || this.waiting.length > 0 || this.inFlight.size > 0)) {
        const entry = this.next();
        if (entry !== undefined) {
          this.start(entry);
          continue;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
        // Not awaited: a heartbeat that is due waits for the coordinator's answer, and no run may wait for that.
        if (this.inFlight.size > 0) void this.beat();
      }
    } finally {
      this.changed();
      await Promise.all(this.inFlight);
      await this.committer.settle();
      clearInterval(keepAlive);
    }
    if (this.error !== undefined) throw this.error.cause;
    if (this.committer.error !== undefined) throw this.committer.error.cause;

    const earliest = this.entries.find((entry) => entry.outcome?.done !== true);
    if (earliest === undefined) return { kind: 'drained' };
    if (!this.failed || earliest.record === undefined) return { kind: 'interrupted' };
    const outcome = earliest.outcome;
    return outcome !== undefined && !outcome.done && outcome.afterMs !== undefined
      ? { kind: 'retry', record: earliest.record, afterMs: outcome.afterMs }
      : { kind: 'retry', record: earliest.record };
  }

  private release(entry: Entry<R>): void {
    if (entry.key !== undefined) this.heldKeys.delete(entry.key);
  }

  private start(entry: Entry<R>): void {
    const { options, phases } = this;
    if (entry.key !== undefined) this.heldKeys.add(entry.key);
    this.setPhase(entry, 'handling');
    this.makeRoom();
    const handled = (): void => {
      if (phases.get(entry) !== 'handling' || this.count('reporting') >= options.maxReportsInFlight) return;
      this.setPhase(entry, 'reporting');
      this.release(entry);
      this.changed();
    };
    const settled: Promise<void> = options
      .attempt(entry.record!, handled)
      .then(
        (outcome) => {
          entry.outcome = outcome;
          if (outcome.done) {
            entry.record = undefined;
            this.committer.advance();
          } else this.failed = true;
        },
        (cause: unknown) => {
          entry.outcome = { done: false };
          this.failed = true;
          this.error ??= { cause };
        },
      )
      .finally(() => {
        if (phases.get(entry) === 'handling') this.release(entry);
        this.setPhase(entry, undefined);
        this.inFlight.delete(settled);
        this.changed();
      });
    this.inFlight.add(settled);
  }

  /** The earliest waiting record whose key is free, if a slot is. */
  private next(): Entry<R> | undefined {
    if (this.count('handling') >= this.maxConcurrent) return undefined;
    const reporting = this.count('reporting');
    if (reporting > 0 && reporting >= this.options.maxReportsInFlight) return undefined;
    const position = this.waiting.findIndex((entry) => entry.key === undefined || !this.heldKeys.has(entry.key));
    return position < 0 ? undefined : this.waiting.splice(position, 1)[0];
  }
}

function compareOffsets(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Commits the completed prefix of a stream, one commit at a time, coalescing what completed meanwhile; committed entries are dropped. */
class OrderedCommitter<R extends OffsetRecord> {
  private completed = 0;
  private running: Promise<void> | undefined;
  private failure: { readonly cause: unknown } | undefined;

  constructor(
    private readonly entries: Array<Entry<R>>,
    private readonly commitThrough: (offset: string) => Promise<void>,
  ) {}

  /** The first commit failure; once set, nothing more is committed. */
  get error(): { readonly cause: unknown } | undefined {
    return this.failure;
  }

  /** Called when a record completed: extends the completed prefix and commits it. */
  advance(): void {
    while (this.entries[this.completed]?.outcome?.done === true) this.completed += 1;
    this.kick();
  }

  /** Resolves once every completed record is committed (or a commit failed: see `error`). */
  async settle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  /** Starts committing unless a commit is under way; re-checks when it ends, so nothing completed meanwhile is left behind. */
  private kick(): void {
    if (this.running !== undefined || this.failure !== undefined || this.completed === 0) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.completed > 0 && this.failure === undefined) {
      const through = this.completed;
      try {
        await this.commitThrough(this.entries[through - 1]!.offset);
        // Committed: those entries are forgotten (the stream may live for days).
        this.entries.splice(0, through);
        this.completed -= through;
      } catch (cause) {
        this.failure = { cause };
      }
    }
  }
}
