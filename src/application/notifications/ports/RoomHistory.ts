import type { RoomId } from '../../../domain/connection/RoomId.js';
import type { RoomPosition } from '../../../domain/notification/RoomPosition.js';

/** How much of a room's history is kept: the newest `maxEntries`, none older than `ttlSeconds`. */
export interface HistoryRetention {
  /** HERMES_HISTORY_SIZE (default 100). */
  readonly maxEntries: number;
  /** HERMES_HISTORY_TTL_SECONDS (default 300). */
  readonly ttlSeconds: number;
}

export const DEFAULT_HISTORY_RETENTION: HistoryRetention = { maxEntries: 100, ttlSeconds: 300 };

/** One retained notification. */
export interface HistoryEntry {
  readonly seq: number;
  /** The notification's wire form as appended (without `seq`/`epoch`: the reader stamps them). */
  readonly envelope: string;
}

/** What a room's history holds after a given seq. */
export interface HistorySlice {
  /** The room's latest position; undefined when the room has no history (never written, or lost). */
  readonly position: RoomPosition | undefined;
  /**
   * The retained, unexpired entries with `seq > since`, ascending, all of `position.epoch`. Fewer than
   * `position.seq - since` entries (or a first seq above `since + 1`) means some were dropped.
   */
  readonly entries: readonly HistoryEntry[];
}

/**
 * A room's recent notifications, numbered. Adapters assign the sequence atomically (one counter per
 * room, e.g. DynamoDB's ADD or Redis INCR), so two publishers never get the same seq; a room whose
 * counter is gone starts a new epoch at seq 1.
 */
export interface RoomHistory {
  /** Assigns the room's next seq, retains the envelope under it, trims to the retention, and resolves the position. */
  append(roomId: RoomId, envelope: string): Promise<RoomPosition>;
  /** The entries after `since` (0 for all retained) and the room's current position. */
  readSince(roomId: RoomId, since: number): Promise<HistorySlice>;
}
