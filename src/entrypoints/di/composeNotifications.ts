import type { Container } from 'inversify';
import type { ConnectionsEndpointResolver } from '../../adapters/aws/ConnectionsEndpointResolver.js';
import type { LocalConnectionRegistry } from '../../adapters/memory/LocalConnectionRegistry.js';
import { NOTIFICATION_TOKENS } from '../../application/notifications/tokens.js';
import type { AuthorizeConnection } from '../../application/notifications/usecases/AuthorizeConnection.js';
import type { DeliverQueuedNotification } from '../../application/notifications/usecases/DeliverQueuedNotification.js';
import type { IssueConnectionToken } from '../../application/notifications/usecases/IssueConnectionToken.js';
import type { PublishNotification } from '../../application/notifications/usecases/PublishNotification.js';
import type { RegisterConnection } from '../../application/notifications/usecases/RegisterConnection.js';
import type { RelayClientMessage } from '../../application/notifications/usecases/RelayClientMessage.js';
import type { UnregisterConnection } from '../../application/notifications/usecases/UnregisterConnection.js';
import type { GetRoomHistory } from '../../application/notifications/usecases/GetRoomHistory.js';
import type { GetRoomPresence } from '../../application/notifications/usecases/GetRoomPresence.js';
import type { ReplyPresence } from '../../application/notifications/usecases/ReplyPresence.js';
import type { ResumeRoom } from '../../application/notifications/usecases/ResumeRoom.js';
import type { Logger } from '../../application/shared/ports/Logger.js';
import { ENTRYPOINT_TOKENS } from './tokens.js';
import { SHARED_TOKENS } from '../../application/shared/tokens.js';

/** The notification feature as the standalone gateway uses it: its use cases and the objects its transport needs. */
export interface NotificationComposition {
  readonly authorize: AuthorizeConnection;
  readonly register: RegisterConnection;
  readonly unregister: UnregisterConnection;
  readonly relay: RelayClientMessage;
  readonly deliver: DeliverQueuedNotification;
  readonly issueToken: IssueConnectionToken;
  readonly publish: PublishNotification;
  /** Route `resume`. */
  readonly resume: ResumeRoom;
  /** Route `presence`. */
  readonly replyPresence: ReplyPresence;
  /** `GET /{stage}/rooms/{room_id}/history`. */
  readonly getHistory: GetRoomHistory;
  /** `GET /{stage}/rooms/{room_id}/presence`. */
  readonly getPresence: GetRoomPresence;
  readonly logger: Logger;
  /** Sockets of this process, which the in-process notifier writes to. */
  readonly registry: LocalConnectionRegistry;
  /** The `@connections` endpoint of the API Gateway notifier: configured, or observed (the local gateway tells its own). */
  readonly connectionsEndpoint: ConnectionsEndpointResolver;
}

/** Resolves the notification bundle from the composition's container (which only the composition root holds). */
export function composeNotifications(container: Container): NotificationComposition {
  return {
    authorize: container.get(NOTIFICATION_TOKENS.AuthorizeConnection),
    register: container.get(NOTIFICATION_TOKENS.RegisterConnection),
    unregister: container.get(NOTIFICATION_TOKENS.UnregisterConnection),
    relay: container.get(NOTIFICATION_TOKENS.RelayClientMessage),
    deliver: container.get(NOTIFICATION_TOKENS.DeliverQueuedNotification),
    issueToken: container.get(NOTIFICATION_TOKENS.IssueConnectionToken),
    publish: container.get(NOTIFICATION_TOKENS.PublishNotification),
    resume: container.get(NOTIFICATION_TOKENS.ResumeRoom),
    replyPresence: container.get(NOTIFICATION_TOKENS.ReplyPresence),
    getHistory: container.get(NOTIFICATION_TOKENS.GetRoomHistory),
    getPresence: container.get(NOTIFICATION_TOKENS.GetRoomPresence),
    logger: container.get(SHARED_TOKENS.Logger),
    registry: container.get(ENTRYPOINT_TOKENS.LocalConnectionRegistry),
    connectionsEndpoint: container.get(ENTRYPOINT_TOKENS.ConnectionsEndpoint),
  };
}
