import type { RouteRegistration } from '../GatewayContext.js';
import { sendJson, sendText } from '../httpIo.js';

/**
 * Backends read a room (admin key):
 * - `GET /{stage}/rooms/{room_id}/history?since=<seq>[&epoch=<epoch>]` → 200
 *   `{"room_id","seq","epoch","gap":{"from","to"}|null,"notifications":[<envelopes as sent>]}`;
 * - `GET /{stage}/rooms/{room_id}/presence` → 200 `{"type":"presence","room_id","users":[...]}`.
 */
export const roomRoutes: RouteRegistration = (router, context) => {
  const { getHistory, getPresence } = context.useCases;
  router.add('GET', context.stagePath('/rooms/:roomId/history'), async ({ req, res, params, url }) => {
    context.requireAdmin(req);
    const history = await getHistory.execute({
      roomId: params['roomId'],
      since: url.searchParams.get('since') ?? undefined,
      epoch: url.searchParams.get('epoch') ?? undefined,
    });
    const head = JSON.stringify({
      room_id: history.roomId.value,
      seq: history.position?.seq ?? 0,
      epoch: history.position?.epoch ?? null,
      gap: history.gap ?? null,
    });
    // The envelopes go out byte for byte as the room's connections received them.
    sendText(res, 200, 'application/json; charset=utf-8', `${head.slice(0, -1)},"notifications":[${history.envelopes.join(',')}]}`);
  });
  router.add('GET', context.stagePath('/rooms/:roomId/presence'), async ({ req, res, params }) => {
    context.requireAdmin(req);
    sendJson(res, 200, await getPresence.execute(params['roomId']));
  });
};
