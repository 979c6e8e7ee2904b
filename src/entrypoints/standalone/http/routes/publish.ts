import type { RouteRegistration } from '../GatewayContext.js';
import { readJsonObject, sendJson } from '../httpIo.js';

/** `POST /{stage}/rooms/{room_id}/messages` {user_id?, type?, data} → 202: queued for the room (the seed's `sqs.send_message`). */
export const publishRoutes: RouteRegistration = (router, context) => {
  const { publish } = context.useCases;
  router.add('POST', context.stagePath('/rooms/:roomId/messages'), async ({ req, res, params }) => {
    context.requireAdmin(req);
    const body = await readJsonObject(req);
    const published = await publish.execute({ roomId: params['roomId'], userId: body['user_id'], type: body['type'], data: body['data'] });
    sendJson(res, 202, { id: published.id, room_id: published.roomId, type: published.type });
  });
};
