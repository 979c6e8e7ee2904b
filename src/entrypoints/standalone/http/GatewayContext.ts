import type { IncomingMessage } from 'node:http';
import type { ConsumerStatus } from '../../../adapters/kafka/ConsumerState.js';
import type { IssueConnectionToken } from '../../../application/notifications/usecases/IssueConnectionToken.js';
import type { GetRoomHistory } from '../../../application/notifications/usecases/GetRoomHistory.js';
import type { GetRoomPresence } from '../../../application/notifications/usecases/GetRoomPresence.js';
import type { PublishNotification } from '../../../application/notifications/usecases/PublishNotification.js';
import type { RunProcessor } from '../../../application/runs/RunProcessor.js';
import type { Logger } from '../../../application/shared/ports/Logger.js';
import type { Profile } from '../../config/coreConfig.js';
import type { GatewayConfig } from '../config/gatewayConfig.js';
import type { WebSocketGateway } from '../websocket/WebSocketGateway.js';
import type { HttpRouter } from './HttpRouter.js';

/** The use cases HTTP routes call, handed over when the routes are built. */
export interface GatewayUseCases {
  readonly issueToken: Pick<IssueConnectionToken, 'execute'>;
  readonly publish: Pick<PublishNotification, 'execute'>;
  readonly getHistory: Pick<GetRoomHistory, 'execute'>;
  readonly getPresence: Pick<GetRoomPresence, 'execute'>;
  /** The in-process runner, composed on first use: throws ConfigurationError when Port is not configured. */
  readonly runProcessor: () => Pick<RunProcessor, 'process'>;
}

/** What HTTP routes of the local gateway may use. */
export interface GatewayContext {
  readonly profile: Profile;
  readonly config: GatewayConfig;
  readonly logger: Logger;
  readonly useCases: GatewayUseCases;
  /** The WebSocket side: connections by id (for the `@connections` API). */
  readonly websocket: WebSocketGateway;
  /** The Port action runner's Kafka consumer state, for `/health`; undefined when no runner is started. */
  readonly runnerStatus?: () => ConsumerStatus | undefined;
  /** Room of the Port run notifications (`HERMES_RUNS_ROOM`, else `port-<PORT_ORG_ID>`, else `port-runs`); the demo page offers it. */
  readonly runsRoom?: string;
  /** `@connections` for connections other gateway nodes hold (the `redis` profile); undefined on one node. */
  readonly otherNodes?: () => OtherNodeConnections | undefined;
  /** `ws://host:port/{stage}`, known once the server listens. */
  websocketUrl(): string;
  /** Throws a 401 HttpError unless the request carries `Authorization: Bearer <HERMES_ADMIN_KEY>`. */
  requireAdmin(req: IncomingMessage): void;
  /** `/{stage}` + `path`. */
  stagePath(path: string): string;
}

/** The sockets of the other gateway nodes, reached through Redis; each answer false/undefined for a gone connection. */
export interface OtherNodeConnections {
  post(connectionId: string, payload: string): Promise<boolean>;
  describe(
    connectionId: string,
  ): Promise<
    { readonly connectedAt: number; readonly lastActiveAt: number; readonly sourceIp: string; readonly userAgent?: string } | undefined
  >;
  remove(connectionId: string): Promise<boolean>;
}

/** Adds a group of routes; `routes/index.ts` lists them, one line each. */
export type RouteRegistration = (router: HttpRouter, context: GatewayContext) => void;
