import type { RouteRegistration } from '../GatewayContext.js';
import { sendText } from '../httpIo.js';

/**
 * `GET /metrics`: hermes' metrics and the process and Node.js default metrics in Prometheus text
 * format, for a Prometheus scrape. No room, user or connection ids: per-room counts are in
 * `/{stage}/admin/rooms`.
 */
export const metricsRoutes: RouteRegistration = (router, context) => {
  router.add('GET', '/metrics', async ({ res }) => {
    const { contentType, body } = await context.observability.exposition();
    sendText(res, 200, contentType, body);
  });
};
