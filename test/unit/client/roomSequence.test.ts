import { expect } from 'chai';
import { RoomSequence } from '../../../src/entrypoints/client/roomSequence.js';

interface Note {
  readonly seq?: number;
  readonly epoch?: string;
  readonly label: string;
}

const note = (seq: number, epoch = 'E1'): Note => ({ seq, epoch, label: `${epoch}#${seq}` });
const labels = (notes: readonly Note[]): string[] => notes.map((n) => n.label);

describe('RoomSequence (HermesClient: once and in seq order)', () => {
  it('starts from the first notification it sees and drops repeats', () => {
    const sequence = new RoomSequence<Note>();
    expect(labels(sequence.accept(note(7)))).to.deep.equal(['E1#7']);
    expect(labels(sequence.accept(note(8)))).to.deep.equal(['E1#8']);
    expect(sequence.accept(note(8))).to.deep.equal([]);
    expect(sequence.accept(note(3))).to.deep.equal([]);
    expect(sequence.position).to.deep.equal({ seq: 8, epoch: 'E1' });
  });

  it('holds what arrives ahead of a hole and releases it in order once the hole is filled', () => {
    const sequence = new RoomSequence<Note>();
    sequence.accept(note(1));
    expect(sequence.accept(note(4))).to.deep.equal([]);
    expect(sequence.accept(note(3))).to.deep.equal([]);
    expect(sequence.hasHole).to.equal(true);
    expect(labels(sequence.accept(note(2)))).to.deep.equal(['E1#2', 'E1#3', 'E1#4']);
    expect(sequence.hasHole).to.equal(false);
  });

  it('asks to resume from its position; replayed and live notifications interleave into one ordered stream', () => {
    const sequence = new RoomSequence<Note>();
    expect(sequence.resumeRequest()).to.deep.equal({ action: 'resume' });
    sequence.resumed(0, null);
    sequence.accept(note(1));
    expect(sequence.resumeRequest()).to.deep.equal({ action: 'resume', since: 1, epoch: 'E1' });
    // A live broadcast overtakes the replay.
    expect(sequence.accept(note(4))).to.deep.equal([]);
    expect(labels(sequence.accept(note(2)))).to.deep.equal(['E1#2']);
    expect(labels(sequence.accept(note(3)))).to.deep.equal(['E1#3', 'E1#4']);
    expect(sequence.accept(note(4))).to.deep.equal([]);
    expect(sequence.resumed(3, 'E1').recovered).to.equal(3);
  });

  it('skips a gap, and adopts a new epoch the server announces', () => {
    const sequence = new RoomSequence<Note>();
    sequence.accept(note(10));
    sequence.resumeRequest();
    expect(labels(sequence.gap({ room_id: 'r', from: 11, to: 14, epoch: 'E1' }))).to.deep.equal([]);
    expect(labels(sequence.accept(note(15)))).to.deep.equal(['E1#15']);
    sequence.resumed(15, 'E1');

    sequence.resumeRequest();
    // Live notifications of the new epoch wait for the gap that announces it.
    expect(sequence.accept(note(3, 'E2'))).to.deep.equal([]);
    expect(labels(sequence.gap({ room_id: 'r', from: 1, to: 1, epoch: 'E2' }))).to.deep.equal([]);
    expect(labels(sequence.accept(note(2, 'E2')))).to.deep.equal(['E2#2', 'E2#3']);
    expect(sequence.position).to.deep.equal({ seq: 3, epoch: 'E2' });
  });

  it('passes notifications without seq (presence events) straight through', () => {
    const sequence = new RoomSequence<Note>();
    expect(labels(sequence.accept({ label: 'presence.join' }))).to.deep.equal(['presence.join']);
    expect(sequence.position).to.equal(undefined);
  });

  it('releases everything held, in order, when it gives up on a hole', () => {
    const sequence = new RoomSequence<Note>();
    sequence.accept(note(1));
    sequence.accept(note(5));
    sequence.accept(note(3));
    expect(labels(sequence.flush())).to.deep.equal(['E1#3', 'E1#5']);
    expect(sequence.position?.seq).to.equal(5);
  });
});
