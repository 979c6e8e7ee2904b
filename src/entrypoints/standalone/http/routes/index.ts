import type { RouteRegistration } from '../GatewayContext.js';
import { adminRoutes } from './admin.js';
import { connectionsApiRoutes } from './connectionsApi.js';
import { demoRoutes } from './demo.js';
import { healthRoutes } from './health.js';
import { metricsRoutes } from './metrics.js';
import { portRunRoutes } from './portRuns.js';
import { publishRoutes } from './publish.js';
import { readyRoutes } from './ready.js';
import { roomRoutes } from './rooms.js';
import { tokenRoutes } from './tokens.js';
import { upgradeRequiredRoutes } from './upgradeRequired.js';

/** Every HTTP route group of the local gateway. A new group is one import and one line here. */
export const HTTP_ROUTES: readonly RouteRegistration[] = [
  healthRoutes,
  connectionsApiRoutes,
  tokenRoutes,
  publishRoutes,
  roomRoutes,
  portRunRoutes,
  demoRoutes,
  metricsRoutes,
  readyRoutes,
  adminRoutes,
  upgradeRequiredRoutes,
];
