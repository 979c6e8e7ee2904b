import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DEFAULT_HISTORY_RETENTION,
  type HistoryEntry,
  type HistoryRetention,
  type HistorySlice,
  type RoomHistory,
} from '../../application/notifications/ports/RoomHistory.js';
import type { Clock } from '../../application/shared/ports/Clock.js';
import type { RoomId } from '../../domain/connection/RoomId.js';
import type { RoomPosition } from '../../domain/notification/RoomPosition.js';
import { newEpoch } from '../memory/InMemoryRoomHistory.js';
import { toEpochSeconds } from './epochSeconds.js';

/** The sort key of a room's counter item; its notifications are 1, 2, 3… */
const COUNTER_SEQ = 0;
/** A room's counter outlives its last notification by a day: an idle room keeps its epoch that long. */
const COUNTER_GRACE_SECONDS = 24 * 3600;

/**
 * Room histories in DynamoDB: one table keyed by `room_id` (hash) + `seq` (range, number). Item
 * `seq = 0` of a room is its counter (`last_seq`, `epoch`), bumped atomically by UpdateItem `ADD`,
 * so concurrent publishers never share a seq; a counter that is gone (TTL) restarts the room at seq 1
 * in a new epoch. Entries carry `expires_at` (the table's TTL attribute) and their epoch; since TTL
 * deletes lazily, reads filter expired and older-epoch items, and read no further back than the
 * newest `maxEntries` seqs (so nothing needs trimming).
 */
export class DynamoRoomHistory implements RoomHistory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
    private readonly retention: HistoryRetention = DEFAULT_HISTORY_RETENTION,
    private readonly epochs: () => string = newEpoch,
  ) {}

  async append(roomId: RoomId, envelope: string): Promise<RoomPosition> {
    const now = this.clock.now();
    const expiresAt = toEpochSeconds(new Date(now.getTime() + this.retention.ttlSeconds * 1000));
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { room_id: roomId.value, seq: COUNTER_SEQ },
        UpdateExpression: 'SET #epoch = if_not_exists(#epoch, :epoch), #expires = :expires ADD #last :one',
        ExpressionAttributeNames: { '#epoch': 'epoch', '#expires': 'expires_at', '#last': 'last_seq' },
        ExpressionAttributeValues: { ':epoch': this.epochs(), ':expires': expiresAt + COUNTER_GRACE_SECONDS, ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const position = { seq: Number(Attributes?.['last_seq']), epoch: String(Attributes?.['epoch']) };
    if (this.retention.maxEntries > 0) {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { room_id: roomId.value, seq: position.seq, epoch: position.epoch, envelope, expires_at: expiresAt },
        }),
      );
    }
    return position;
  }

  async readSince(roomId: RoomId, since: number): Promise<HistorySlice> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { room_id: roomId.value, seq: COUNTER_SEQ }, ConsistentRead: true }),
    );
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    if (!Item || typeof Item['last_seq'] !== 'number' || typeof Item['epoch'] !== 'string' || Number(Item['expires_at']) <= nowSeconds) {
      return { position: undefined, entries: [] };
    }
    const position: RoomPosition = { seq: Item['last_seq'], epoch: Item['epoch'] };
    const after = Math.max(since, position.seq - this.retention.maxEntries, COUNTER_SEQ);
    if (after >= position.seq) return { position, entries: [] };
    const entries: HistoryEntry[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const output = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#room = :room AND #seq BETWEEN :from AND :to',
          FilterExpression: '#expires > :now AND #epoch = :epoch',
          ExpressionAttributeNames: { '#room': 'room_id', '#seq': 'seq', '#expires': 'expires_at', '#epoch': 'epoch' },
          ExpressionAttributeValues: {
            ':room': roomId.value,
            ':from': after + 1,
            ':to': position.seq,
            ':now': nowSeconds,
            ':epoch': position.epoch,
          },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of output.Items ?? []) {
        if (typeof item['seq'] === 'number' && typeof item['envelope'] === 'string')
          entries.push({ seq: item['seq'], envelope: item['envelope'] });
      }
      startKey = output.LastEvaluatedKey;
    } while (startKey);
    return { position, entries };
  }
}
