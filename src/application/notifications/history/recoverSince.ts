import type { RoomId } from '../../../domain/connection/RoomId.js';
import { type RoomPosition, stampPosition } from '../../../domain/notification/RoomPosition.js';
import { ValidationError } from '../../../domain/shared/ValidationError.js';
import type { RoomHistory } from '../ports/RoomHistory.js';

/** Seqs that cannot be recovered, inclusive (`to < from`: none of the current epoch, but the epoch changed). */
export interface HistoryGap {
  readonly from: number;
  readonly to: number;
}

/** What a client that saw up to `since` of `epoch` can get back. */
export interface Recovery {
  /** The room's latest position; undefined when the room has no history. */
  readonly position: RoomPosition | undefined;
  /** Present when some notifications after `since` are lost (too old, expired, or of another epoch). */
  readonly gap: HistoryGap | undefined;
  /** The retained envelopes after `since`, in seq order, exactly as they were sent. */
  readonly envelopes: readonly string[];
}

/** `since` of a resume or history request: a non-negative integer (a query string's digits too). */
export function parseSince(raw: unknown): number {
  const value = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new ValidationError('since', 'must be a non-negative integer');
  return value;
}

/** `epoch` of a resume or history request: a string, or absent (null, undefined, ''). */
export function parseEpoch(raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length > 128) throw new ValidationError('epoch', 'must be a string of at most 128 characters');
  return raw;
}

/**
 * The notifications after `since`. A client's seq only means something in its epoch: with another
 * epoch (or a seq beyond the latest, or no epoch and a seq above 0) it gets everything retained of the
 * current epoch, after a gap from seq 1. A backend that names no epoch means the current one
 * (`epochOptional`).
 */
export async function recoverSince(
  history: RoomHistory,
  roomId: RoomId,
  since: number,
  epoch: string | undefined,
  epochOptional = false,
): Promise<Recovery> {
  let slice = await history.readSince(roomId, since);
  let after = since;
  const position = slice.position;
  const latest = position?.seq ?? 0;
  const sameEpoch = epoch === undefined ? since === 0 || epochOptional : epoch === position?.epoch;
  const epochChanged = !sameEpoch || since > latest;
  if (epochChanged) {
    after = 0;
    if (since !== 0) slice = await history.readSince(roomId, 0);
  }
  const entries = slice.entries.filter((entry) => entry.seq > after && entry.seq <= latest);
  const firstAvailable = entries[0]?.seq ?? latest + 1;
  const gap = epochChanged || firstAvailable > after + 1 ? { from: after + 1, to: firstAvailable - 1 } : undefined;
  const envelopes = position ? entries.map((entry) => stampPosition(entry.envelope, { seq: entry.seq, epoch: position.epoch })) : [];
  return { position, gap, envelopes };
}
