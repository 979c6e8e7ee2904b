import { BroadcastToRoom } from '../../../application/notifications/usecases/BroadcastToRoom.js';
import { connectionRepository } from '../../di/adapters/connectionStore.js';
import { connectionNotifier } from '../../di/adapters/notifier.js';
import { observedBroadcast } from '../../di/observability.js';
import type { Wiring } from '../../di/wiring.js';

/** Room fan-out, shared by the functions that post to connections (sendMessage, queue). */
export function broadcastToRoom(wiring: Wiring): BroadcastToRoom {
  return wiring.once('broadcast', () =>
    observedBroadcast(
      new BroadcastToRoom(
        connectionRepository(wiring),
        connectionNotifier(wiring),
        wiring.logger,
        wiring.config.core.notification,
        wiring.clock,
      ),
      wiring,
    ),
  );
}
