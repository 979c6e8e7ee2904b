import { randomBytes } from 'node:crypto';
import {
  DEFAULT_HISTORY_RETENTION,
  type HistoryEntry,
  type HistoryRetention,
  type HistorySlice,
  type RoomHistory,
} from '../../application/notifications/ports/RoomHistory.js';
import type { Clock } from '../../application/shared/ports/Clock.js';
import type { RoomId } from '../../domain/connection/RoomId.js';
import type { RoomPosition } from '../../domain/notification/RoomPosition.js';

interface StoredEntry extends HistoryEntry {
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

interface RoomLog {
  readonly epoch: string;
  seq: number;
  /** Ascending by seq, at most `maxEntries`. */
  entries: StoredEntry[];
}

/** A new epoch: random, so a restarted process never reuses one. */
export function newEpoch(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * Room histories in process memory (`memory` profile). A process restart loses them, and the next
 * notification of a room starts a new epoch at seq 1. Memory is bounded by `maxEntries` per room.
 */
export class InMemoryRoomHistory implements RoomHistory {
  private readonly rooms = new Map<string, RoomLog>();

  constructor(
    private readonly clock: Clock,
    private readonly retention: HistoryRetention = DEFAULT_HISTORY_RETENTION,
    private readonly epochs: () => string = newEpoch,
  ) {}

  async append(roomId: RoomId, envelope: string): Promise<RoomPosition> {
    let log = this.rooms.get(roomId.value);
    if (!log) {
      log = { epoch: this.epochs(), seq: 0, entries: [] };
      this.rooms.set(roomId.value, log);
    }
    log.seq += 1;
    const { maxEntries, ttlSeconds } = this.retention;
    if (maxEntries > 0) {
      log.entries.push({ seq: log.seq, envelope, expiresAt: this.clock.now().getTime() + ttlSeconds * 1000 });
      if (log.entries.length > maxEntries) log.entries.splice(0, log.entries.length - maxEntries);
    }
    return { seq: log.seq, epoch: log.epoch };
  }

  async readSince(roomId: RoomId, since: number): Promise<HistorySlice> {
    const log = this.rooms.get(roomId.value);
    if (!log) return { position: undefined, entries: [] };
    const now = this.clock.now().getTime();
    // Expired entries are the oldest: drop them here, so an idle room holds no payloads.
    const firstLive = log.entries.findIndex((entry) => entry.expiresAt > now);
    if (firstLive !== 0) log.entries = firstLive < 0 ? [] : log.entries.slice(firstLive);
    const entries = log.entries.filter((entry) => entry.seq > since).map(({ seq, envelope }) => ({ seq, envelope }));
    return { position: { seq: log.seq, epoch: log.epoch }, entries };
  }
}
