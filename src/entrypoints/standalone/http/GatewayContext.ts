import type { IncomingMessage } from 'node:http';
import type { Container } from 'inversify';
import type { ConsumerStatus } from '../../../adapters/kafka/ConsumerState.js';
import type { Logger } from '../../../application/shared/ports/Logger.js';
import type { Profile } from '../../config/coreConfig.js';
import type { Env } from '../../config/Env.js';
import type { GatewayConfig } from '../config/gatewayConfig.js';
import type { WebSocketGateway } from '../websocket/WebSocketGateway.js';
import type { HttpRouter } from './HttpRouter.js';

/** What HTTP routes of the local gateway may use. */
export interface GatewayContext {
  readonly container: Container;
  readonly env: Env;
  readonly profile: Profile;
  readonly config: GatewayConfig;
  readonly logger: Logger;
  /** The WebSocket side: connections by id (for the `@connections` API). */
  readonly websocket: WebSocketGateway;
  /** The Port action runner's Kafka consumer state, for `/health`; undefined when no runner is started. */
  readonly runnerStatus?: () => ConsumerStatus | undefined;
  /** `ws://host:port/{stage}`, known once the server listens. */
  websocketUrl(): string;
  /** Throws a 401 HttpError unless the request carries `Authorization: Bearer <HERMES_ADMIN_KEY>`. */
  requireAdmin(req: IncomingMessage): void;
  /** `/{stage}` + `path`. */
  stagePath(path: string): string;
}

/** Adds a group of routes; `routes/index.ts` lists them, one line each. */
export type RouteRegistration = (router: HttpRouter, context: GatewayContext) => void;
