import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const BATCH = 25;
const PARALLEL = 16;
/** Items waiting for a full batch, per table. */
const pending = new Map<string, Array<Record<string, unknown>>>();

export interface LoadRequest {
  readonly room: string;
  readonly count: number;
  /** Connection ids are `c<index>`, unique across the whole load. */
  readonly firstIndex: number;
  /** Queue the items and write them in large parallel waves (call `loadConnections.flush` at the end). */
  readonly defer?: boolean;
}

/**
 * Writes connection items in the shape DynamoConnectionRepository stores (connection_id, room_id,
 * user_id, connected_at, expires_at) with BatchWriteItem, 16 batches of 25 in flight.
 */
export async function loadConnections(client: DynamoDBDocumentClient, table: string, request: LoadRequest): Promise<void> {
  const now = Date.now();
  const items = pending.get(table) ?? [];
  pending.set(table, items);
  for (let i = 0; i < request.count; i++) {
    const index = request.firstIndex + i;
    items.push({
      connection_id: `c${String(index).padStart(7, '0')}`,
      room_id: request.room,
      user_id: `u${index}`,
      connected_at: now,
      expires_at: Math.ceil(now / 1000) + 2 * 3600,
    });
  }
  if (!request.defer || items.length >= BATCH * PARALLEL * 8) await loadConnections.flush(client, table);
}

loadConnections.flush = async (client: DynamoDBDocumentClient, table: string): Promise<void> => {
  const items = pending.get(table) ?? [];
  pending.set(table, []);
  const batches: Array<Array<Record<string, unknown>>> = [];
  for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++] ?? [];
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const { UnprocessedItems } = await client.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
};
