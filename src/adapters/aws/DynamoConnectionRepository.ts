import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type {
  ConnectionPage,
  ConnectionPageRequest,
  ConnectionRepository,
} from '../../application/notifications/ports/ConnectionRepository.js';
import type { Clock } from '../../application/shared/ports/Clock.js';
import { runWithConcurrency } from '../../application/shared/runWithConcurrency.js';
import { Connection } from '../../domain/connection/Connection.js';
import { ConnectionId } from '../../domain/connection/ConnectionId.js';
import { RoomId } from '../../domain/connection/RoomId.js';
import { UserId } from '../../domain/connection/UserId.js';
import { ValidationError } from '../../domain/shared/ValidationError.js';
import { TransientError } from '../../domain/shared/HermesError.js';
import { type BatchRetryPolicy, chunk, DEFAULT_BATCH_RETRY, sendUntilProcessed } from './batchRetry.js';
import { fromEpochSeconds, toEpochSeconds } from './epochSeconds.js';

/** The GSI that finds a room's connections: hash `room_id`, range `connection_id`. */
export const ROOM_INDEX_NAME = 'room_id-index';
/** Non-key attributes the room index projects, so a page rebuilds connections without a GetItem. */
export const ROOM_INDEX_PROJECTED_ATTRIBUTES = ['user_id', 'connected_at', 'expires_at'] as const;
/** BatchWriteItem's limit. */
const BATCH_WRITE_MAX = 25;
const DEFAULT_PAGE_SIZE = 100;
/** DynamoDB's own per-request Limit bound is far higher; this keeps one page's memory in check. */
const MAX_PAGE_SIZE = 1_000;

/** One item of the connections table. */
interface ConnectionItem {
  readonly connection_id: string;
  readonly room_id: string;
  readonly user_id: string;
  /** Epoch milliseconds. */
  readonly connected_at: number;
  /** Epoch seconds; the table's TTL attribute. */
  readonly expires_at: number;
}

type Key = Record<string, unknown>;
type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/** BatchWriteItem still left deletes unprocessed after every retry (throttled table): trying later may succeed. */
export class UnprocessedDeletesError extends TransientError {
  readonly code = 'DYNAMODB_UNPROCESSED_ITEMS';

  constructor(count: number, attempts: number) {
    super(`${count} connection deletes still unprocessed after ${attempts} BatchWriteItem attempts`, undefined, { details: { count } });
  }
}

export interface DynamoConnectionRepositoryOptions {
  /** Retries of BatchWriteItem's UnprocessedItems. */
  readonly backoff?: BatchRetryPolicy;
  /** BatchWriteItem calls of one deleteMany in flight at once. */
  readonly deleteConcurrency?: number;
}

/**
 * Connections in DynamoDB. A room's connections come from a Query of the `room_id-index` GSI,
 * paginated (never a Scan); `expires_at` is the TTL attribute and, since TTL deletes lazily
 * (up to days late), expired items are filtered out of every read.
 */
export class DynamoConnectionRepository implements ConnectionRepository {
  private readonly backoff: BatchRetryPolicy;
  private readonly deleteConcurrency: number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
    options: DynamoConnectionRepositoryOptions = {},
  ) {
    this.backoff = options.backoff ?? DEFAULT_BATCH_RETRY;
    this.deleteConcurrency = options.deleteConcurrency ?? 4;
  }

  async save(connection: Connection): Promise<void> {
    const item: ConnectionItem = {
      connection_id: connection.connectionId.value,
      room_id: connection.roomId.value,
      user_id: connection.userId.value,
      connected_at: connection.connectedAt.getTime(),
      expires_at: toEpochSeconds(connection.expiresAt),
    };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async get(connectionId: ConnectionId): Promise<Connection | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { connection_id: connectionId.value }, ConsistentRead: true }),
    );
    const connection = Item ? toConnection(Item) : undefined;
    return connection && !connection.isExpiredAt(this.clock.now()) ? connection : undefined;
  }

  async delete(connectionId: ConnectionId): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { connection_id: connectionId.value } }));
  }

  /** BatchWriteItem in chunks of 25; UnprocessedItems are retried with jittered backoff. */
  async deleteMany(connectionIds: readonly ConnectionId[]): Promise<void> {
    // A batch may not name the same key twice.
    const unique = [...new Set(connectionIds.map((id) => id.value))];
    const failures: unknown[] = [];
    await runWithConcurrency(chunk(unique, BATCH_WRITE_MAX), this.deleteConcurrency, async (ids) => {
      try {
        await this.deleteBatch(ids);
      } catch (error) {
        failures.push(error);
      }
    });
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} batch deletes of connections failed`);
  }

  async findByRoom(roomId: RoomId, page: ConnectionPageRequest = {}): Promise<ConnectionPage> {
    const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(page.limit ?? DEFAULT_PAGE_SIZE)));
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const items: Connection[] = [];
    let startKey: Key | undefined = page.cursor === undefined ? undefined : decodeCursor(page.cursor, roomId);
    // Limit counts items read before the expiry filter, so keep reading until the page is full.
    do {
      const output = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: ROOM_INDEX_NAME,
          KeyConditionExpression: '#room = :room',
          FilterExpression: '#expires > :now',
          ExpressionAttributeNames: { '#room': 'room_id', '#expires': 'expires_at' },
          ExpressionAttributeValues: { ':room': roomId.value, ':now': nowSeconds },
          Limit: limit - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of output.Items ?? []) {
        const connection = toConnection(item);
        if (connection) items.push(connection);
      }
      startKey = output.LastEvaluatedKey;
    } while (startKey && items.length < limit);
    return startKey ? { items, nextCursor: encodeCursor(startKey) } : { items };
  }

  private async deleteBatch(ids: readonly string[]): Promise<void> {
    const requests: WriteRequest[] = ids.map((id) => ({ DeleteRequest: { Key: { connection_id: id } } }));
    const left = await sendUntilProcessed(
      requests,
      async (pending) => {
        const output = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: [...pending] } }));
        return { retry: output.UnprocessedItems?.[this.tableName] ?? [] };
      },
      this.backoff,
    );
    if (left.length > 0) throw new UnprocessedDeletesError(left.length, this.backoff.maxAttempts);
  }
}

/** Rebuilds a connection from a table or index item; undefined for items hermes did not write (e.g. the seed's, without expiry). */
function toConnection(item: Record<string, unknown>): Connection | undefined {
  const { connection_id, room_id, user_id, connected_at, expires_at } = item as Partial<Record<keyof ConnectionItem, unknown>>;
  if (typeof expires_at !== 'number' || typeof connected_at !== 'number') return undefined;
  try {
    return new Connection({
      connectionId: ConnectionId.of(connection_id),
      roomId: RoomId.of(room_id),
      userId: UserId.of(user_id),
      connectedAt: new Date(connected_at),
      expiresAt: fromEpochSeconds(expires_at),
    });
  } catch (error) {
    if (error instanceof ValidationError) return undefined;
    throw error;
  }
}

/** The cursor is the query's LastEvaluatedKey, opaque to callers: base64url of its JSON. */
function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, roomId: RoomId): Key {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationError('cursor', 'is not a cursor this repository issued');
  }
  const valid =
    typeof key === 'object' &&
    key !== null &&
    !Array.isArray(key) &&
    Object.keys(key).length === 2 &&
    typeof (key as Record<string, unknown>)['connection_id'] === 'string' &&
    (key as Record<string, unknown>)['room_id'] === roomId.value;
  if (!valid) throw new ValidationError('cursor', 'is not a cursor of this room');
  return key as Key;
}
