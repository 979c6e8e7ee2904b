import type { GatewayContext, RouteRegistration } from '../GatewayContext.js';
import type { RouteHandler } from '../HttpRouter.js';
import { readJsonObject, sendJson } from '../httpIo.js';

/** Issues a connection token for `{user_id, room_id}`; shared by the admin and the demo endpoints. */
export function issueTokenHandler(context: GatewayContext, guard: boolean): RouteHandler {
  const issue = context.useCases.issueToken;
  return async ({ req, res }) => {
    if (guard) context.requireAdmin(req);
    const body = await readJsonObject(req);
    const issued = await issue.execute({ userId: body['user_id'], roomId: body['room_id'] });
    sendJson(res, 201, {
      token: issued.token,
      expires_at: issued.expiresAt.toISOString(),
      websocket_url: context.websocketUrl(),
    });
  };
}

/** `POST /{stage}/tokens` {user_id, room_id} → {token, expires_at, websocket_url} (the seed's `generate_token`, for backends). */
export const tokenRoutes: RouteRegistration = (router, context) => {
  router.add('POST', context.stagePath('/tokens'), issueTokenHandler(context, true));
};
