import type { ResumeRoom } from '../../../application/notifications/usecases/ResumeRoom.js';
import type { WebSocketRouteHandler } from '../shared/events.js';
import { clientMessageRoute, type ClientMessageRouteDeps } from './clientMessageRoute.js';

export interface ResumeHandlerDeps extends ClientMessageRouteDeps {
  readonly resume: Pick<ResumeRoom, 'execute'>;
}

/**
 * Route `resume`: body `{"action":"resume","since":<seq>,"epoch":"<epoch>"}`. The missed
 * notifications (a `gap` first when some are lost) and `{"type":"resumed",...}` are posted to the
 * connection; a bad message gets a 4xx error reply.
 */
export function createResumeHandler(deps: ResumeHandlerDeps): WebSocketRouteHandler {
  return clientMessageRoute({ route: 'resume', readsBody: true }, deps, async ({ connectionId, sender, body }) => {
    const report = await deps.resume.execute({ connectionId, sender, since: body['since'], epoch: body['epoch'] });
    deps.logger.debug('resumed', { connectionId, replayed: report.replayed, gap: report.gap !== undefined });
  });
}
