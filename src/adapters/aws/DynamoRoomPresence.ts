import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { RoomPresence } from '../../application/notifications/ports/RoomPresence.js';
import type { Clock } from '../../application/shared/ports/Clock.js';
import type { Connection } from '../../domain/connection/Connection.js';
import type { RoomId } from '../../domain/connection/RoomId.js';
import { UserId } from '../../domain/connection/UserId.js';
import type { PresenceDeparture, PresenceMember } from '../../domain/presence/PresenceMember.js';
import { ROOM_INDEX_NAME } from './DynamoConnectionRepository.js';

interface IndexedConnection {
  readonly connectionId: string;
  readonly userId: string;
  readonly connectedAt: number;
}

/**
 * Presence read from the connections table's `room_id-index` GSI (a Query, never a Scan): the
 * connection repository already writes everything it needs, so `connected`/`disconnected` only
 * read. The index is eventually consistent, so the connection just stored or just forgotten never
 * counts: the others decide whether a user joined or left.
 */
export class DynamoRoomPresence implements RoomPresence {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async connected(connection: Connection): Promise<boolean> {
    const others = await this.liveConnections(connection.roomId.value, connection.userId.value);
    return others.every((other) => other.connectionId === connection.connectionId.value);
  }

  async disconnected(connections: readonly Connection[]): Promise<readonly PresenceDeparture[]> {
    const goneIds = new Set(connections.map((connection) => connection.connectionId.value));
    const users = new Map<string, Connection>();
    for (const connection of connections) users.set(JSON.stringify([connection.roomId.value, connection.userId.value]), connection);
    const departures: PresenceDeparture[] = [];
    for (const connection of users.values()) {
      const live = await this.liveConnections(connection.roomId.value, connection.userId.value);
      if (live.every((other) => goneIds.has(other.connectionId))) {
        departures.push({ roomId: connection.roomId, userId: connection.userId });
      }
    }
    return departures;
  }

  async members(roomId: RoomId): Promise<readonly PresenceMember[]> {
    const byUser = new Map<string, IndexedConnection[]>();
    for (const connection of await this.liveConnections(roomId.value)) {
      const list = byUser.get(connection.userId) ?? [];
      list.push(connection);
      byUser.set(connection.userId, list);
    }
    return [...byUser.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([userId, list]) => ({
        userId: UserId.of(userId),
        connections: list.length,
        connectedAt: new Date(Math.min(...list.map((connection) => connection.connectedAt))),
      }));
  }

  /** The room's unexpired connections (of one user when given), every page of the index. */
  private async liveConnections(roomId: string, userId?: string): Promise<IndexedConnection[]> {
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const found: IndexedConnection[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const input: QueryCommandInput = {
        TableName: this.tableName,
        IndexName: ROOM_INDEX_NAME,
        KeyConditionExpression: '#room = :room',
        FilterExpression: userId === undefined ? '#expires > :now' : '#expires > :now AND #user = :user',
        ProjectionExpression: '#connection, #user, #connected',
        ExpressionAttributeNames: {
          '#room': 'room_id',
          '#expires': 'expires_at',
          '#user': 'user_id',
          '#connection': 'connection_id',
          '#connected': 'connected_at',
        },
        ExpressionAttributeValues: { ':room': roomId, ':now': nowSeconds, ...(userId === undefined ? {} : { ':user': userId }) },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      };
      const output = await this.client.send(new QueryCommand(input));
      for (const item of output.Items ?? []) {
        const { connection_id, user_id, connected_at } = item;
        if (typeof connection_id === 'string' && typeof user_id === 'string' && typeof connected_at === 'number') {
          found.push({ connectionId: connection_id, userId: user_id, connectedAt: connected_at });
        }
      }
      startKey = output.LastEvaluatedKey;
    } while (startKey);
    return found;
  }
}
