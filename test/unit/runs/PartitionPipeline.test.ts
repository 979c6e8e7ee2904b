import { expect } from 'chai';
import { PartitionPipeline, type PartitionPipelineOptions, type RecordAttempt } from '../../../src/application/runs/PartitionPipeline.js';

/** A record as the Kafka consumer delivers it. */
interface KafkaRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function records(count: number, first = 0): KafkaRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    topic: 'org_test.runs',
    partition: 0,
    offset: String(first + i),
    key: null,
    value: Buffer.from(`run ${first + i}`),
  }));
}

/** A gate a test opens by hand. */
function gate(): { readonly opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/**
 * A processor that behaves like HandleActionRun driven by the consumer: a handler phase (which
 * calls `handled()` at its end), then a report phase. Everything it does is recorded in `events`.
 */
class ScriptedRecords {
  readonly events: string[] = [];
  readonly commits: string[] = [];
  /** Offsets whose processing settled (completed or not), in the order they settled. */
  readonly completed = new Set<string>();
  handlerMs = 2;
  reportMs: (offset: string) => number = () => 10;
  reportGate: (offset: string) => Promise<void> | undefined = () => undefined;
  outcome: (offset: string) => RecordAttempt = () => ({ done: true });
  /** When false for an offset, the record never signals `handled` (e.g. its outcome could not be recorded). */
  signals: (offset: string) => boolean = () => true;
  private handlersRunning = 0;
  reportsRunning = 0;
  maxReportsRunning = 0;
  maxHandlersRunning = 0;

  readonly attempt = async (record: KafkaRecord, handled: () => void): Promise<RecordAttempt> => {
    this.handlersRunning += 1;
    this.maxHandlersRunning = Math.max(this.maxHandlersRunning, this.handlersRunning);
    this.events.push(`start ${record.offset}`);
    await tick(this.handlerMs);
    this.events.push(`end ${record.offset}`);
    this.handlersRunning -= 1;
    if (this.signals(record.offset)) handled();
    this.reportsRunning += 1;
    this.maxReportsRunning = Math.max(this.maxReportsRunning, this.reportsRunning);
    await tick(this.reportMs(record.offset));
    await this.reportGate(record.offset);
    this.reportsRunning -= 1;
    const outcome = this.outcome(record.offset);
    this.events.push(`${outcome.done ? 'reported' : 'failed'} ${record.offset}`);
    if (outcome.done) this.completed.add(record.offset);
    return outcome;
  };

  readonly commitThrough = async (offset: string): Promise<void> => {
    // Every record up to `offset` must have completed before its commit starts.
    for (let o = 0; o <= Number(offset); o += 1) {
      if (!this.completed.has(String(o))) throw new Error(`commit through ${offset} before ${o} completed`);
    }
    this.commits.push(offset);
    await tick(1);
  };

  pipeline(overrides: Partial<PartitionPipelineOptions<KafkaRecord>> = {}): PartitionPipeline<KafkaRecord> {
    return new PartitionPipeline({
      attempt: this.attempt,
      commitThrough: this.commitThrough,
      mayStart: () => true,
      maxReportsInFlight: 8,
      ...overrides,
    });
  }
}

/** The handler phases as [start, end] intervals in `events` order; they must not overlap. */
function handlerIntervals(events: readonly string[]): Array<[string, number, number]> {
  return events
    .map((event, index) => [event, index] as const)
    .filter(([event]) => event.startsWith('start '))
    .map(([event, start]) => {
      const offset = event.slice('start '.length);
      return [offset, start, events.indexOf(`end ${offset}`)];
    });
}

describe('PartitionPipeline (records of one Kafka partition)', () => {
  it('runs handlers one at a time in offset order, while earlier reports are still in flight', async () => {
    const script = new ScriptedRecords();
    const end = await script.pipeline().run(records(10));

    expect(end).to.deep.equal({ kind: 'drained' });
    expect(script.maxHandlersRunning).to.equal(1);
    const intervals = handlerIntervals(script.events);
    expect(intervals.map(([offset]) => offset)).to.deep.equal(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    for (let i = 1; i < intervals.length; i += 1) {
      // The next handler starts only after the previous one ended.
      expect(intervals[i]![1], `handler ${i} starts after handler ${i - 1} ended`).to.be.greaterThan(intervals[i - 1]![2]);
    }
    // Pipelined for real: a handler started before the previous record's report had finished.
    expect(script.events.indexOf('start 1')).to.be.below(script.events.indexOf('reported 0'));
    expect(script.maxReportsRunning).to.be.greaterThan(1);
  });

  it('commits offsets in order, never past a record that has not completed', async () => {
    const script = new ScriptedRecords();
    // Record 1 reports slowly: 2..5 complete before it, yet nothing past 0 is committed until 1 completes.
    const slow = gate();
    script.reportGate = (offset) => (offset === '1' ? slow.opened : undefined);
    const running = script.pipeline().run(records(6));
    await until(() => script.completed.has('5'));
    expect(script.commits).to.deep.equal(['0']);
    slow.open();
    expect(await running).to.deep.equal({ kind: 'drained' });
    expect(script.commits.at(-1)).to.equal('5');
    const committed = script.commits.map(Number);
    expect(committed).to.deep.equal([...committed].sort((a, b) => a - b));
  });

  it('keeps at most maxReportsInFlight reports in flight', async () => {
    const script = new ScriptedRecords();
    script.reportMs = () => 30;
    await script.pipeline({ maxReportsInFlight: 3 }).run(records(12));
    expect(script.maxReportsRunning).to.equal(3);
  });

  it('is strictly sequential with maxReportsInFlight 0', async () => {
    const script = new ScriptedRecords();
    await script.pipeline({ maxReportsInFlight: 0 }).run(records(4));
    expect(script.events).to.deep.equal([
      'start 0',
      'end 0',
      'reported 0',
      'start 1',
      'end 1',
      'reported 1',
      'start 2',
      'end 2',
      'reported 2',
      'start 3',
      'end 3',
      'reported 3',
    ]);
  });

  it('waits for a record that never signals handled before starting the next one', async () => {
    const script = new ScriptedRecords();
    script.signals = (offset) => offset !== '1';
    await script.pipeline().run(records(3));
    expect(script.events.indexOf('start 2')).to.be.greaterThan(script.events.indexOf('reported 1'));
  });

  it('on a failed report: starts nothing more, lets the reports in flight settle, commits the completed prefix, asks to retry from the failed record', async () => {
    const script = new ScriptedRecords();
    // Record 2's report fails once records 3..5 were handled (their reports are in flight or done).
    const later = gate();
    script.reportGate = (offset) => (offset === '2' ? later.opened : undefined);
    script.outcome = (offset) => (offset === '2' ? { done: false, afterMs: 250 } : { done: true });
    const running = script.pipeline().run(records(20));
    await until(() => script.events.includes('end 5'));
    later.open();
    const end = await running;

    expect(end.kind).to.equal('retry');
    if (end.kind === 'retry') {
      expect(end.record.offset).to.equal('2');
      expect(end.afterMs).to.equal(250);
    }
    expect(script.commits.at(-1)).to.equal('1');
    const failedAt = script.events.indexOf('failed 2');
    expect(
      script.events.slice(failedAt).filter((e) => e.startsWith('start ')),
      'records started after the failure',
    ).to.deep.equal([]);
    // Whatever started has settled before run() resolved.
    const started = script.events.filter((e) => e.startsWith('start ')).length;
    const settled = script.events.filter((e) => e.startsWith('reported ') || e.startsWith('failed ')).length;
    expect(started).to.be.at.least(6);
    expect(settled).to.equal(started);
  });

  it('reports the earliest failed record when several fail', async () => {
    const script = new ScriptedRecords();
    script.reportMs = (offset) => (offset === '1' ? 30 : 2);
    script.outcome = (offset) => (offset === '1' || offset === '2' ? { done: false } : { done: true });
    const end = await script.pipeline().run(records(5));
    expect(end.kind === 'retry' && end.record.offset).to.equal('1');
    expect(script.commits).to.deep.equal(['0']);
  });

  it('stops starting records when told to, and waits for the reports in flight before resolving', async () => {
    const script = new ScriptedRecords();
    const slow = gate();
    script.reportGate = (offset) => (offset === '3' ? slow.opened : undefined);
    let stopping = false;
    const running = script.pipeline({ mayStart: () => !stopping }).run(records(50));
    await until(() => script.events.includes('end 3'));
    stopping = true;
    let resolved = false;
    void running.then(() => {
      resolved = true;
    });
    await tick(30);
    expect(resolved, 'resolved while a report was in flight').to.equal(false);
    slow.open();
    expect(await running).to.deep.equal({ kind: 'interrupted' });
    const started = script.events.filter((e) => e.startsWith('start ')).length;
    expect(script.commits.at(-1)).to.equal(String(started - 1));
  });

  it('rethrows a commit failure once the records in flight settled', async () => {
    const script = new ScriptedRecords();
    let calls = 0;
    const failing = async (offset: string): Promise<void> => {
      calls += 1;
      if (calls === 2) throw new Error('REBALANCE_IN_PROGRESS');
      await script.commitThrough(offset);
    };
    let error: unknown;
    await script
      .pipeline({ commitThrough: failing })
      .run(records(30))
      .catch((e: unknown) => {
        error = e;
      });
    expect((error as Error).message).to.equal('REBALANCE_IN_PROGRESS');
    expect(script.events.filter((e) => e.startsWith('start ')).length).to.be.below(30);
    expect(script.reportsRunning).to.equal(0);
  });

  it('keeps heartbeating while a slow record is in flight, and stops once the batch settled', async () => {
    const script = new ScriptedRecords();
    script.handlerMs = 120;
    script.reportMs = () => 120;
    let beats = 0;
    await script.pipeline({ heartbeat: async () => void (beats += 1), heartbeatEveryMs: 20 }).run(records(1));
    // One record of ~240 ms: the between-records call alone would be 1.
    expect(beats).to.be.at.least(5);
    const after = beats;
    await tick(80);
    expect(beats).to.equal(after);
  });
});

describe('PartitionPipeline: a heartbeat waiting for the coordinator', () => {
  it('holds no record back: records start and complete while a heartbeat is unanswered', async () => {
    const script = new ScriptedRecords();
    const answer = gate();
    let beats = 0;
    const heartbeat = async (): Promise<void> => {
      beats += 1;
      await answer.opened;
    };
    // Every wake-up of the scheduler with records in flight heartbeats; none of them is answered before the end.
    const end = await Promise.race([
      script.pipeline({ heartbeat, maxConcurrent: 2 }).run(records(12)),
      tick(3_000).then(() => 'held back'),
    ]);
    expect(end).to.deep.equal({ kind: 'drained' });
    expect(script.completed.size).to.equal(12);
    expect(beats).to.be.greaterThan(0);
    answer.open();
  });
});

describe('PartitionPipeline with concurrency (no head-of-line blocking)', () => {
  it('runs other records of the partition while one handler is slow, and commits only up to the slow one', async () => {
    const script = new ScriptedRecords();
    const slow = gate();
    const attempt = script.attempt;
    const gated = async (record: KafkaRecord, handled: () => void): Promise<RecordAttempt> => {
      if (record.offset === '1') await slow.opened;
      return attempt(record, handled);
    };
    const running = script.pipeline({ attempt: gated, maxConcurrent: 4 }).run(records(20));
    await until(() => script.completed.has('19'));
    // Every other record completed while record 1 is still held: nothing past 0 is committed.
    expect(script.completed.has('1')).to.equal(false);
    expect(script.commits).to.deep.equal(['0']);
    slow.open();
    expect(await running).to.deep.equal({ kind: 'drained' });
    expect(script.commits.at(-1)).to.equal('19');
  });

  it('runs records of one ordering key one at a time, in offset order, and others beside them', async () => {
    const script = new ScriptedRecords();
    script.handlerMs = 5;
    const keyed = records(12).map((record) => ({
      ...record,
      key: Buffer.from(Number(record.offset) % 3 === 0 ? 'vm-a' : `other-${record.offset}`),
    }));
    await script.pipeline({ maxConcurrent: 8, keyOf: (record) => record.key?.toString() }).run(keyed);
    expect(script.maxHandlersRunning).to.be.greaterThan(1);
    const intervals = handlerIntervals(script.events).filter(([offset]) => Number(offset) % 3 === 0);
    expect(intervals.map(([offset]) => offset)).to.deep.equal(['0', '3', '6', '9']);
    for (let i = 1; i < intervals.length; i += 1) {
      expect(intervals[i]![1], `vm-a handler ${i} starts after the previous one ended`).to.be.greaterThan(intervals[i - 1]![2]);
    }
  });

  it('never runs more than maxConcurrent handlers at once', async () => {
    const script = new ScriptedRecords();
    script.handlerMs = 10;
    await script.pipeline({ maxConcurrent: 3, maxReportsInFlight: 8 }).run(records(15));
    expect(script.maxHandlersRunning).to.equal(3);
  });

  it('on a failure, lets a slower earlier record finish, commits through it, and asks to retry from the failed one', async () => {
    const script = new ScriptedRecords();
    const slow = gate();
    const attempt = script.attempt;
    script.outcome = (offset) => (offset === '4' ? { done: false } : { done: true });
    const gated = async (record: KafkaRecord, handled: () => void): Promise<RecordAttempt> => {
      if (record.offset === '1') await slow.opened;
      return attempt(record, handled);
    };
    const running = script.pipeline({ attempt: gated, maxConcurrent: 4 }).run(records(10));
    await until(() => script.events.includes('failed 4'));
    slow.open();
    const end = await running;
    expect(end.kind === 'retry' && end.record.offset).to.equal('4');
    expect(script.completed.has('1')).to.equal(true);
    expect(script.commits.at(-1)).to.equal('3');
    // Nothing started after the failure.
    const failedAt = script.events.indexOf('failed 4');
    expect(script.events.slice(failedAt).filter((e) => e.startsWith('start ') && e !== 'start 1')).to.deep.equal([]);
  });
});

async function until(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await tick(1);
  }
}
