import { ValidationError } from '../shared/ValidationError.js';

/** Where a room's notification stream stands: the last sequence number and the history epoch it belongs to. */
export interface RoomPosition {
  /** Per room, 1 for the first notification of an epoch, +1 for each next one. */
  readonly seq: number;
  /** Opaque; a different epoch means the history before it was lost or reset and seqs restarted. */
  readonly epoch: string;
}

/**
 * The envelope a client receives: the notification's wire form with `seq` and `epoch` appended.
 * The wire form is a JSON object, so the fields go in before its closing brace (no re-serialization).
 */
export function stampPosition(wire: string, position: RoomPosition): string {
  if (!wire.endsWith('}')) throw new ValidationError('wire', 'must be a JSON object');
  return `${wire.slice(0, -1)},"seq":${position.seq},"epoch":${JSON.stringify(position.epoch)}}`;
}
