import { inject, injectable } from 'inversify';
import { RoomId } from '../../../domain/connection/RoomId.js';
import { UserId } from '../../../domain/connection/UserId.js';
import { ValidationError } from '../../../domain/shared/ValidationError.js';
import type { Clock } from '../../shared/ports/Clock.js';
import { SHARED_TOKENS } from '../../shared/tokens.js';
import type { NotificationSettings } from '../NotificationSettings.js';
import type { ConnectionGrantStore } from '../ports/ConnectionGrantStore.js';
import type { SecretHasher } from '../ports/SecretHasher.js';
import type { TokenVerifier } from '../ports/TokenVerifier.js';
import type { VerifiedTokenCache } from '../ports/VerifiedTokenCache.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';
import type { AuthorizationDecision, DenyReason } from './AuthorizationDecision.js';

const INNER_TOKEN = /^[0-9a-f]{64}$/;

/**
 * The `$connect` authorizer: a JWT (HS512 only) whose inner token matches the stored bcrypt hash
 * of the user's grant to the room. Bad input always ends in a Deny; only infrastructure failures reject.
 * A match is remembered until the token expires (or the grant, if sooner), so a reconnect with the
 * same token and the same grant skips bcrypt.
 */
@injectable()
export class AuthorizeConnection {
  constructor(
    @inject(NOTIFICATION_TOKENS.TokenVerifier) private readonly verifier: TokenVerifier,
    @inject(NOTIFICATION_TOKENS.SecretHasher) private readonly hasher: SecretHasher,
    @inject(NOTIFICATION_TOKENS.ConnectionGrantStore) private readonly grants: ConnectionGrantStore,
    @inject(SHARED_TOKENS.Clock) private readonly clock: Clock,
    @inject(NOTIFICATION_TOKENS.Settings) private readonly settings: NotificationSettings,
    @inject(NOTIFICATION_TOKENS.VerifiedTokenCache) private readonly verified: VerifiedTokenCache,
  ) {}

  async execute(token: unknown): Promise<AuthorizationDecision> {
    if (typeof token !== 'string' || token.trim().length === 0) return deny('TOKEN_MISSING');
    if (token.length > this.settings.maxTokenLength) return deny('TOKEN_TOO_LONG');

    const verification = await this.verifier.verify(token);
    if (!verification.valid) return deny(verification.reason);

    const { claims } = verification;
    if (typeof claims['exp'] !== 'number' || typeof claims['token'] !== 'string' || !INNER_TOKEN.test(claims['token'])) {
      return deny('TOKEN_CLAIMS_INVALID');
    }
    let userId: UserId;
    let roomId: RoomId;
    try {
      userId = UserId.of(claims['user_id']);
      roomId = RoomId.of(claims['room_id']);
    } catch (error) {
      if (error instanceof ValidationError) return deny('TOKEN_CLAIMS_INVALID');
      throw error;
    }

    const grant = await this.grants.get(userId, roomId);
    if (!grant) return deny('GRANT_NOT_FOUND');
    const now = this.clock.now();
    if (grant.expiresAt.getTime() <= now.getTime()) return deny('GRANT_EXPIRED');
    const innerToken = claims['token'];
    if (!this.verified.isVerified(innerToken, grant.tokenHash, now)) {
      if (!(await this.hasher.compare(innerToken, grant.tokenHash))) return deny('TOKEN_MISMATCH');
      const tokenExpiry = claims['exp'] * 1000;
      this.verified.remember(innerToken, grant.tokenHash, new Date(Math.min(tokenExpiry, grant.expiresAt.getTime())));
    }

    return { effect: 'Allow', principalId: userId.value, roomId, userId };
  }
}

function deny(reason: DenyReason): AuthorizationDecision {
  return { effect: 'Deny', reason };
}
