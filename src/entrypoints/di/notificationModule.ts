import { ContainerModule } from 'inversify';
import type { SecretProvider } from '../../application/shared/ports/SecretProvider.js';
import { SHARED_TOKENS } from '../../application/shared/tokens.js';
import { NOTIFICATION_TOKENS } from '../../application/notifications/tokens.js';
import { AuthorizeConnection } from '../../application/notifications/usecases/AuthorizeConnection.js';
import { BroadcastToRoom } from '../../application/notifications/usecases/BroadcastToRoom.js';
import { DeliverQueuedNotification } from '../../application/notifications/usecases/DeliverQueuedNotification.js';
import { IssueConnectionToken } from '../../application/notifications/usecases/IssueConnectionToken.js';
import { PublishNotification } from '../../application/notifications/usecases/PublishNotification.js';
import { RegisterConnection } from '../../application/notifications/usecases/RegisterConnection.js';
import { RelayClientMessage } from '../../application/notifications/usecases/RelayClientMessage.js';
import { UnregisterConnection } from '../../application/notifications/usecases/UnregisterConnection.js';
import { HistoryRecorder } from '../../application/notifications/history/HistoryRecorder.js';
import { PresenceEvents } from '../../application/notifications/presence/PresenceEvents.js';
import { GetRoomHistory } from '../../application/notifications/usecases/GetRoomHistory.js';
import { GetRoomPresence } from '../../application/notifications/usecases/GetRoomPresence.js';
import { ReplyPresence } from '../../application/notifications/usecases/ReplyPresence.js';
import { ResumeRoom } from '../../application/notifications/usecases/ResumeRoom.js';
import { BcryptSecretHasher } from '../../adapters/bcrypt/BcryptSecretHasher.js';
import { HashedVerifiedTokenCache } from '../../adapters/bcrypt/HashedVerifiedTokenCache.js';
import { WorkerPoolSecretHasher } from '../../adapters/bcrypt/WorkerPoolSecretHasher.js';
import { JsonWebTokenService } from '../../adapters/jwt/JsonWebTokenService.js';
import type { CoreConfig } from '../config/coreConfig.js';

const JWT_SERVICE = Symbol.for('hermes.JsonWebTokenService');

/** The notification use cases, their settings and the crypto adapters they share on every profile. */
export function notificationModule(core: CoreConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(NOTIFICATION_TOKENS.Settings).toConstantValue(core.notification);
    // bcrypt off the event loop where many requests share a process (the standalone gateway sets
    // HERMES_AUTH_WORKERS); on the event loop on Lambda, where one request runs per environment.
    bind(NOTIFICATION_TOKENS.SecretHasher).toConstantValue(
      core.authWorkers > 0
        ? new WorkerPoolSecretHasher(core.bcryptCost, { size: core.authWorkers })
        : new BcryptSecretHasher(core.bcryptCost),
    );
    bind(NOTIFICATION_TOKENS.VerifiedTokenCache).toConstantValue(new HashedVerifiedTokenCache(core.authCacheSize));
    bind(JWT_SERVICE).toDynamicValue(
      (ctx) => new JsonWebTokenService(ctx.get<SecretProvider>(SHARED_TOKENS.SecretProvider), core.notification.clockSkewSeconds),
    );
    bind(NOTIFICATION_TOKENS.TokenSigner).toService(JWT_SERVICE);
    bind(NOTIFICATION_TOKENS.TokenVerifier).toService(JWT_SERVICE);

    bind(NOTIFICATION_TOKENS.IssueConnectionToken).to(IssueConnectionToken);
    bind(NOTIFICATION_TOKENS.AuthorizeConnection).to(AuthorizeConnection);
    bind(NOTIFICATION_TOKENS.RegisterConnection).to(RegisterConnection);
    bind(NOTIFICATION_TOKENS.UnregisterConnection).to(UnregisterConnection);
    bind(NOTIFICATION_TOKENS.BroadcastToRoom).to(BroadcastToRoom);
    bind(NOTIFICATION_TOKENS.RelayClientMessage).to(RelayClientMessage);
    bind(NOTIFICATION_TOKENS.PublishNotification).to(PublishNotification);
    bind(NOTIFICATION_TOKENS.DeliverQueuedNotification).to(DeliverQueuedNotification);
    bind(NOTIFICATION_TOKENS.HistoryRecorder).to(HistoryRecorder);
    bind(NOTIFICATION_TOKENS.PresenceEvents).to(PresenceEvents);
    bind(NOTIFICATION_TOKENS.ResumeRoom).to(ResumeRoom);
    bind(NOTIFICATION_TOKENS.GetRoomHistory).to(GetRoomHistory);
    bind(NOTIFICATION_TOKENS.ReplyPresence).to(ReplyPresence);
    bind(NOTIFICATION_TOKENS.GetRoomPresence).to(GetRoomPresence);
  });
}
