import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConnectionGrantStore } from '../../application/notifications/ports/ConnectionGrantStore.js';
import type { ConnectionGrant } from '../../domain/connection/ConnectionGrant.js';
import type { RoomId } from '../../domain/connection/RoomId.js';
import type { UserId } from '../../domain/connection/UserId.js';
import { fromEpochSeconds, toEpochSeconds } from './epochSeconds.js';

/** One item of the grants table (the seed's auth table, with an expiry). */
interface GrantItem {
  readonly user_id: string;
  readonly room_id: string;
  /** bcrypt hash of the connection token's inner token; the token itself is never stored. */
  readonly token_hash: string;
  /** Epoch seconds; the table's TTL attribute. */
  readonly expires_at: number;
}

/**
 * Grants in DynamoDB, keyed by (`user_id`, `room_id`). Expired grants are returned as stored (the
 * authorizer decides what expiry means) until TTL removes them.
 */
export class DynamoConnectionGrantStore implements ConnectionGrantStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(grant: ConnectionGrant): Promise<void> {
    const item: GrantItem = {
      user_id: grant.userId.value,
      room_id: grant.roomId.value,
      token_hash: grant.tokenHash,
      expires_at: toEpochSeconds(grant.expiresAt),
    };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async get(userId: UserId, roomId: RoomId): Promise<ConnectionGrant | undefined> {
    // Strongly consistent: the authorizer often runs right after the token was issued.
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key(userId, roomId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { token_hash, expires_at } = Item as Partial<Record<keyof GrantItem, unknown>>;
    // An item without a hash or expiry (the seed's `token` rows) grants nothing.
    if (typeof token_hash !== 'string' || typeof expires_at !== 'number') return undefined;
    return { userId, roomId, tokenHash: token_hash, expiresAt: fromEpochSeconds(expires_at) };
  }

  async revoke(userId: UserId, roomId: RoomId): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: key(userId, roomId) }));
  }
}

function key(userId: UserId, roomId: RoomId): Record<string, string> {
  return { user_id: userId.value, room_id: roomId.value };
}
