import { createHash } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { RoomId } from '../../../domain/connection/RoomId.js';
import { UserId } from '../../../domain/connection/UserId.js';
import type { Clock } from '../../shared/ports/Clock.js';
import type { SecretProvider } from '../../shared/ports/SecretProvider.js';
import { SHARED_TOKENS } from '../../shared/tokens.js';
import type { NotificationSettings } from '../NotificationSettings.js';
import type { ConnectionGrantStore } from '../ports/ConnectionGrantStore.js';
import type { SecretHasher } from '../ports/SecretHasher.js';
import type { TokenSigner } from '../ports/TokenSigner.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';

export interface IssueConnectionTokenInput {
  readonly userId: unknown;
  readonly roomId: unknown;
}

export interface IssuedConnectionToken {
  readonly token: string;
  readonly expiresAt: Date;
}

/** The seed's `generate_token`: a signed JWT whose inner token's bcrypt hash becomes the user's grant to the room. */
@injectable()
export class IssueConnectionToken {
  constructor(
    @inject(NOTIFICATION_TOKENS.TokenSigner) private readonly signer: TokenSigner,
    @inject(NOTIFICATION_TOKENS.SecretHasher) private readonly hasher: SecretHasher,
    @inject(NOTIFICATION_TOKENS.ConnectionGrantStore) private readonly grants: ConnectionGrantStore,
    @inject(SHARED_TOKENS.SecretProvider) private readonly secrets: SecretProvider,
    @inject(SHARED_TOKENS.Clock) private readonly clock: Clock,
    @inject(NOTIFICATION_TOKENS.Settings) private readonly settings: NotificationSettings,
  ) {}

  async execute(input: IssueConnectionTokenInput): Promise<IssuedConnectionToken> {
    const userId = UserId.of(input.userId);
    const roomId = RoomId.of(input.roomId);
    const passcode = await this.secrets.get('TOKEN_PASSCODE');
    const innerToken = createHash('sha256').update(`${userId.value}${passcode}${roomId.value}`).digest('hex');
    const ttl = this.settings.tokenTtlSeconds;
    const expiresAt = new Date(this.clock.now().getTime() + ttl * 1000);
    await this.grants.put({ userId, roomId, tokenHash: await this.hasher.hash(innerToken), expiresAt });
    const token = await this.signer.sign({ user_id: userId.value, room_id: roomId.value, token: innerToken }, ttl);
    return { token, expiresAt };
  }
}
