import type { RouteRegistration } from '../GatewayContext.js';
import { sendJson } from '../httpIo.js';

/**
 * `GET /health`: liveness, for load balancers, Kubernetes probes and `hermes` itself. Always 200
 * while the gateway serves (WebSockets and HTTP work even when Kafka does not: restarting the
 * process would not bring Kafka back). With the Port action runner started, `runner` says where its
 * Kafka consumer is, and `status` is `degraded` whenever it is not consuming runs.
 */
export const healthRoutes: RouteRegistration = (router, context) => {
  router.add('GET', '/health', ({ res }) => {
    const runner = context.runnerStatus?.();
    const consuming = runner === undefined || runner.state === 'consuming';
    sendJson(res, 200, {
      status: consuming ? 'ok' : 'degraded',
      profile: context.profile,
      stage: context.config.stage,
      connections: context.websocket.size,
      ...(runner !== undefined && { runner }),
    });
  });
};
