import type { RouteRegistration } from '../GatewayContext.js';
import { sendJson } from '../httpIo.js';

/** `GET /health`: liveness, for load balancers and `hermes` itself. */
export const healthRoutes: RouteRegistration = (router, context) => {
  router.add('GET', '/health', ({ res }) =>
    sendJson(res, 200, { status: 'ok', profile: context.profile, stage: context.config.stage, connections: context.websocket.size }),
  );
};
