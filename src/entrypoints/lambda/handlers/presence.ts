import type { ReplyPresence } from '../../../application/notifications/usecases/ReplyPresence.js';
import type { WebSocketRouteHandler } from '../shared/events.js';
import { clientMessageRoute, type ClientMessageRouteDeps } from './clientMessageRoute.js';

export interface PresenceHandlerDeps extends ClientMessageRouteDeps {
  readonly replyPresence: Pick<ReplyPresence, 'execute'>;
}

/** Route `presence`: `{"action":"presence"}` → `{"type":"presence","room_id","users":[...]}` posted to the sender. */
export function createPresenceHandler(deps: PresenceHandlerDeps): WebSocketRouteHandler {
  return clientMessageRoute({ route: 'presence', readsBody: false }, deps, async ({ connectionId, sender }) => {
    const reply = await deps.replyPresence.execute({ connectionId, sender });
    deps.logger.debug('presence sent', { connectionId, users: reply.users.length });
  });
}
