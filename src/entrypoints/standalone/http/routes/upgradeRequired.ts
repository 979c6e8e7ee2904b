import type { RouteRegistration } from '../GatewayContext.js';
import { sendJson } from '../httpIo.js';

/**
 * A plain HTTP GET on the WebSocket URL (`/{stage}`) is answered 426 Upgrade Required, as API
 * Gateway answers a request without the WebSocket handshake.
 */
export const upgradeRequiredRoutes: RouteRegistration = (router, context) => {
  router.add('GET', context.stagePath(''), ({ res }) => {
    sendJson(res, 426, { message: 'Upgrade Required' }, { upgrade: 'websocket', connection: 'Upgrade' });
  });
};
