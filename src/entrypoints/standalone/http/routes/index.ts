import type { RouteRegistration } from '../GatewayContext.js';
import { connectionsApiRoutes } from './connectionsApi.js';
import { demoRoutes } from './demo.js';
import { healthRoutes } from './health.js';
import { portRunRoutes } from './portRuns.js';
import { publishRoutes } from './publish.js';
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
  upgradeRequiredRoutes,
];
