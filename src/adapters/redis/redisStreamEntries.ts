import type { RedisConnection } from './RedisConnection.js';

/** A stream entry as XRANGE/XREADGROUP return it: its id and its fields, flat. */
export type StreamEntry = [id: string, fields: string[]];

/** A stream entry's flat field list as an object. */
export function fieldsOf(flat: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i] as string] = flat[i + 1] as string;
  return fields;
}

/** Up to `count` entries of the stream at `key`, oldest first, with their fields. */
export async function readStream(
  redis: RedisConnection,
  key: string,
  count: number,
): Promise<Array<{ readonly id: string; readonly flat: string[]; readonly fields: Record<string, string> }>> {
  const entries = (await redis.call('read a stream', (client) => client.xrange(key, '-', '+', 'COUNT', count))) as StreamEntry[];
  return entries.map(([id, flat]) => ({ id, flat, fields: fieldsOf(flat) }));
}
