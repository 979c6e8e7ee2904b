import { readFile } from 'node:fs/promises';
import type { DeadLetterQueue } from '../../../../application/notifications/ports/DeadLetterQueue.js';
import type { GatewayContext, RouteRegistration } from '../GatewayContext.js';
import { HttpError } from '../HttpError.js';
import { sendJson, sendText } from '../httpIo.js';

const PAGE = new URL('../../public/admin.html', import.meta.url);

/** The dead letters of the profile's queue, or 501 where the console offers none. */
function deadLettersOf(context: GatewayContext): DeadLetterQueue {
  const queue = context.observability.deadLetters;
  if (queue === undefined) {
    throw new HttpError(501, 'DEAD_LETTERS_UNAVAILABLE', 'this profile has no dead-letter queue the console can handle');
  }
  return queue;
}

/** Rooms with live connections on this gateway: connection and distinct user counts, busiest first. */
function liveRooms(context: GatewayContext): Array<{ room_id: string; connections: number; users: number }> {
  const rooms = new Map<string, { connections: number; users: Set<string> }>();
  for (const id of context.websocket.connectionIds()) {
    const authorizer = context.websocket.get(id)?.authorizer;
    const roomId = authorizer?.['room_id'];
    if (typeof roomId !== 'string') continue;
    const room = rooms.get(roomId) ?? { connections: 0, users: new Set<string>() };
    room.connections += 1;
    const userId = authorizer?.['user_id'];
    if (typeof userId === 'string') room.users.add(userId);
    rooms.set(roomId, room);
  }
  return [...rooms.entries()]
    .map(([roomId, room]) => ({ room_id: roomId, connections: room.connections, users: room.users.size }))
    .sort((a, b) => b.connections - a.connections || a.room_id.localeCompare(b.room_id));
}

/**
 * The operator's console: `GET /admin` (the page; it asks for the admin key) and its JSON API,
 * every endpoint behind `Authorization: Bearer <HERMES_ADMIN_KEY>`:
 * `GET /{stage}/admin/rooms`, `/admin/activity`, `/admin/runs`, `/admin/dead-letters`,
 * `POST /{stage}/admin/dead-letters/{id}/redrive` and `/discard`.
 */
export const adminRoutes: RouteRegistration = (router, context) => {
  const { observability } = context;
  router.add('GET', '/admin', async ({ res }) => {
    const html = (await readFile(PAGE, 'utf8')).replaceAll('{{STAGE}}', encodeURIComponent(context.config.stage));
    sendText(res, 200, 'text/html; charset=utf-8', html);
  });
  router.add('GET', context.stagePath('/admin/rooms'), ({ req, res }) => {
    context.requireAdmin(req);
    const rooms = liveRooms(context);
    sendJson(res, 200, { rooms, connections: context.websocket.size });
  });
  router.add('GET', context.stagePath('/admin/activity'), ({ req, res }) => {
    context.requireAdmin(req);
    sendJson(res, 200, { ...observability.activity() });
  });
  router.add('GET', context.stagePath('/admin/runs'), ({ req, res }) => {
    context.requireAdmin(req);
    sendJson(res, 200, { runs: observability.recentRuns() });
  });
  router.add('GET', context.stagePath('/admin/dead-letters'), async ({ req, res }) => {
    context.requireAdmin(req);
    sendJson(res, 200, { deadLetters: await deadLettersOf(context).list() });
  });
  for (const action of ['redrive', 'discard'] as const) {
    router.add('POST', context.stagePath(`/admin/dead-letters/:id/${action}`), async ({ req, res, params }) => {
      context.requireAdmin(req);
      const id = params['id'] as string;
      const done = await deadLettersOf(context)[action](id);
      if (!done) throw new HttpError(404, 'DEAD_LETTER_NOT_FOUND', `no dead-lettered notification ${id}`);
      context.logger.info(`dead letter ${action === 'redrive' ? 'redriven' : 'discarded'}`, { messageId: id });
      sendJson(res, 200, { id, [action === 'redrive' ? 'redriven' : 'discarded']: true });
    });
  }
};
