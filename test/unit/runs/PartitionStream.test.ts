import { expect } from 'chai';
import { PartitionPipeline, type RecordAttempt } from '../../../src/application/runs/PartitionPipeline.js';

interface Rec {
  readonly offset: string;
  readonly key?: string;
}

const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Records whose attempt waits for `release(offset)`; records what started and what was committed. */
function scripted(maxConcurrent: number) {
  const started: string[] = [];
  const commits: string[] = [];
  const releases = new Map<string, (outcome: RecordAttempt) => void>();
  const pipeline = new PartitionPipeline<Rec>({
    attempt: (record) =>
      new Promise<RecordAttempt>((resolve) => {
        started.push(record.offset);
        releases.set(record.offset, resolve);
      }),
    commitThrough: async (offset) => void commits.push(offset),
    mayStart: () => true,
    maxConcurrent,
    keyOf: (record) => record.key,
    maxReportsInFlight: 8,
  });
  const release = async (offset: string, outcome: RecordAttempt = { done: true }): Promise<void> => {
    releases.get(offset)!(outcome);
    await tick(5);
  };
  return { stream: pipeline.open(), started, commits, release };
}

/** The long-lived stream the kafkajs consumer keeps per partition (issue 13, no head-of-line blocking across batches). */
describe('PartitionStream: one partition across batches', () => {
  it('starts a later batch while a slow record of an earlier batch still runs, and commits only below it', async () => {
    const { stream, started, commits, release } = scripted(4);
    expect(await stream.offer([{ offset: '0' }])).to.equal(true);
    expect(await stream.offer([{ offset: '1' }, { offset: '2' }])).to.equal(true);
    await tick(5);
    expect(started).to.deep.equal(['0', '1', '2']);
    await release('1');
    await release('2');
    expect(commits, 'nothing past the slow record 0').to.deep.equal([]);
    await release('0');
    expect(commits.at(-1)).to.equal('2');
    const end = stream.close();
    expect(await end).to.deep.equal({ kind: 'drained' });
  });

  it('offer waits while the window is full (backpressure) and resolves once a place frees', async () => {
    const { stream, started, release } = scripted(1);
    await stream.offer([{ offset: '0' }]);
    let accepted = false;
    // One running, window of one waiting: the third record must wait for a place.
    const offered = stream.offer([{ offset: '1' }, { offset: '2' }]).then((ok) => (accepted = ok));
    await tick(10);
    expect(accepted).to.equal(false);
    expect(started).to.deep.equal(['0']);
    await release('0');
    await offered;
    expect(accepted).to.equal(true);
    expect(started).to.deep.equal(['0', '1']);
    await release('1');
    await release('2');
    expect(await stream.close()).to.deep.equal({ kind: 'drained' });
  });

  it('keeps one key in offset order across batches, and ignores offsets offered again', async () => {
    const { stream, started, release } = scripted(4);
    await stream.offer([{ offset: '0', key: 'a' }]);
    await stream.offer([
      { offset: '0', key: 'a' },
      { offset: '1', key: 'a' },
      { offset: '2', key: 'b' },
    ]);
    await tick(5);
    expect(started).to.deep.equal(['0', '2']);
    await release('0');
    expect(started).to.deep.equal(['0', '2', '1']);
    await release('1');
    await release('2');
    expect(await stream.close()).to.deep.equal({ kind: 'drained' });
  });

  it('on a run to retry, stops accepting, lets the others settle and names the earliest record not completed', async () => {
    const { stream, started, commits, release } = scripted(4);
    await stream.offer([{ offset: '0' }, { offset: '1' }, { offset: '2' }]);
    await tick(5);
    await release('0');
    await release('1', { done: false, afterMs: 50 });
    expect(stream.accepting).to.equal(false);
    expect(await stream.offer([{ offset: '3' }])).to.equal(false);
    await release('2');
    const end = await stream.ended;
    expect(end).to.deep.include({ kind: 'retry', afterMs: 50 });
    expect(end.kind === 'retry' && end.record.offset).to.equal('1');
    expect(commits).to.deep.equal(['0']);
    expect(started).to.deep.equal(['0', '1', '2']);
  });
});
