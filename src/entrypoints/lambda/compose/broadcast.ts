import { HistoryRecorder } from '../../../application/notifications/history/HistoryRecorder.js';
import { PresenceEvents } from '../../../application/notifications/presence/PresenceEvents.js';
import { BroadcastToRoom } from '../../../application/notifications/usecases/BroadcastToRoom.js';
import { RandomIdGenerator } from '../../../adapters/system/RandomIdGenerator.js';
import { connectionRepository } from '../../di/adapters/connectionStore.js';
import { connectionNotifier } from '../../di/adapters/notifier.js';
import { roomHistory } from '../../di/adapters/roomHistory.js';
import { roomPresence } from '../../di/adapters/roomPresence.js';
import type { Wiring } from '../../di/wiring.js';

/** Presence upkeep and its `presence.join`/`presence.leave` notifications, shared by the functions that see connections come and go. */
export function presenceEvents(wiring: Wiring): PresenceEvents {
  return wiring.once(
    'presenceEvents',
    () => new PresenceEvents(roomPresence(wiring), new RandomIdGenerator(), wiring.clock, wiring.config.core.notification),
  );
}

/** Room fan-out, shared by the functions that post to connections (sendMessage, queue, connect, disconnect). */
export function broadcastToRoom(wiring: Wiring): BroadcastToRoom {
  return wiring.once(
    'broadcast',
    () =>
      new BroadcastToRoom(
        connectionRepository(wiring),
        connectionNotifier(wiring),
        wiring.logger,
        wiring.config.core.notification,
        wiring.clock,
        presenceEvents(wiring),
      ),
  );
}

/** Numbers notifications in their room's history before the fan-out (sendMessage, queue). */
export function historyRecorder(wiring: Wiring): HistoryRecorder {
  return wiring.once('historyRecorder', () => new HistoryRecorder(roomHistory(wiring)));
}
