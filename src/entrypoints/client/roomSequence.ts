/**
 * The client's view of its room's sequence: which `seq` of which `epoch` it delivered last, and the
 * notifications that arrived ahead of a hole (a resume replays the hole; a live broadcast may also
 * overtake another). It releases notifications once each and in seq order. No I/O: the client
 * sends the resumes it asks for.
 */

/** What the sequence needs of a notification. */
export interface Sequenced {
  readonly seq?: unknown;
  readonly epoch?: unknown;
}

/** `{"type":"gap","room_id","from","to","epoch"}`: seqs `from`..`to` of `epoch` cannot be recovered. */
export interface HermesGap {
  readonly room_id: string;
  readonly from: number;
  readonly to: number;
  /** The room's current epoch; different from the one the client had when the history was reset. */
  readonly epoch: string | null;
}

/** After a resume: how many missed notifications came back, and where the room stands. */
export interface HermesResumed {
  readonly room_id: string;
  readonly seq: number;
  readonly epoch: string | null;
  /** Notifications delivered by this resume that the client had missed. */
  readonly recovered: number;
  /** Whether this resume followed a reconnection (false: the first connection, or a hole being filled). */
  readonly reconnected: boolean;
}

export interface ResumeRequest {
  readonly action: 'resume';
  readonly since?: number;
  readonly epoch?: string;
}

function positionOf(message: Sequenced): { seq: number; epoch: string } | undefined {
  return typeof message.seq === 'number' && typeof message.epoch === 'string' ? { seq: message.seq, epoch: message.epoch } : undefined;
}

export class RoomSequence<T extends Sequenced> {
  private seq: number | undefined;
  private epoch: string | undefined;
  private ahead: T[] = [];
  private resuming = false;
  private recovered = 0;

  /** The last delivered position, if any. */
  get position(): { readonly seq: number; readonly epoch: string } | undefined {
    return this.seq === undefined || this.epoch === undefined ? undefined : { seq: this.seq, epoch: this.epoch };
  }

  /** True while notifications wait for a hole before them to be filled. */
  get hasHole(): boolean {
    return this.ahead.length > 0;
  }

  /** The resume to send after (re)connecting, or to fill a hole: `since` the last delivered seq, or none to learn the position. */
  resumeRequest(): ResumeRequest {
    this.resuming = true;
    this.recovered = 0;
    const position = this.position;
    return position ? { action: 'resume', since: position.seq, epoch: position.epoch } : { action: 'resume' };
  }

  /** A notification arrived: the ones to deliver now, in order (none when it is a repeat or ahead of a hole). */
  accept(message: T): T[] {
    const position = positionOf(message);
    if (!position) return [message];
    if (this.seq === undefined || this.epoch === undefined || (position.epoch !== this.epoch && !this.resuming)) {
      // No baseline yet, or the room's history restarted under a live connection: start from here.
      this.seq = position.seq;
      this.epoch = position.epoch;
      return [message, ...this.drain()];
    }
    if (position.epoch !== this.epoch) {
      this.ahead.push(message);
      return [];
    }
    if (position.seq <= this.seq) return [];
    if (position.seq === this.seq + 1) {
      this.seq = position.seq;
      if (this.resuming) this.recovered += 1;
      return [message, ...this.drain()];
    }
    if (!this.ahead.some((held) => positionOf(held)?.seq === position.seq && positionOf(held)?.epoch === position.epoch)) {
      this.ahead.push(message);
    }
    return [];
  }

  /** The server cannot replay `from`..`to`: skip them (and adopt its epoch). Returns what that releases. */
  gap(gap: HermesGap): T[] {
    if (gap.epoch !== null && gap.epoch !== this.epoch) {
      this.epoch = gap.epoch;
      this.seq = Math.max(0, gap.to);
    } else {
      this.seq = Math.max(this.seq ?? 0, gap.to);
    }
    return this.drain();
  }

  /** The resume is complete: adopts the position if there was none, and releases what it can. */
  resumed(seq: number, epoch: string | null): { readonly deliver: T[]; readonly recovered: number } {
    this.resuming = false;
    if (epoch !== null && (this.epoch === undefined || this.epoch !== epoch)) {
      this.epoch = epoch;
      this.seq = seq;
    } else if (this.seq === undefined) {
      this.seq = seq;
    }
    const deliver = this.drain();
    const recovered = this.recovered;
    this.recovered = 0;
    return { deliver, recovered };
  }

  /** Gives up waiting for a hole: releases everything held, in seq order. */
  flush(): T[] {
    const held = this.ahead
      .filter((message) => positionOf(message)?.epoch === this.epoch)
      .sort((a, b) => (positionOf(a)?.seq ?? 0) - (positionOf(b)?.seq ?? 0));
    this.ahead = [];
    const last = held.at(-1);
    if (last) this.seq = Math.max(this.seq ?? 0, positionOf(last)?.seq ?? 0);
    return held;
  }

  /** Held notifications that follow on from the last delivered one. */
  private drain(): T[] {
    const released: T[] = [];
    this.ahead = this.ahead.filter((message) => {
      const position = positionOf(message);
      return position !== undefined && position.epoch === this.epoch && position.seq > (this.seq ?? 0);
    });
    for (;;) {
      const index = this.ahead.findIndex((message) => positionOf(message)?.seq === (this.seq ?? 0) + 1);
      if (index < 0) return released;
      const [next] = this.ahead.splice(index, 1) as [T];
      this.seq = (this.seq ?? 0) + 1;
      if (this.resuming) this.recovered += 1;
      released.push(next);
    }
  }
}
