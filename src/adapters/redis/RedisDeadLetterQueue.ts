import type { DeadLetter, DeadLetterQueue } from '../../application/notifications/ports/DeadLetterQueue.js';
import type { RedisConnection } from './RedisConnection.js';
import type { RedisKeys } from './RedisKeys.js';
import { readStream } from './redisStreamEntries.js';

/**
 * Back to the notification stream as a new entry (a fresh receive count, as SQS's redrive gives),
 * and out of the dead-letter stream, in one step: two operators redriving at once send it once.
 */
const REDRIVE = `
local entry = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])[1]
if not entry then return 0 end
local fields, copy = entry[2], {}
for i = 1, #fields, 2 do
  local name = fields[i]
  if name == 'body' or name == 'attributes' or name == 'sentAt' then
    table.insert(copy, name)
    table.insert(copy, fields[i + 1])
  end
end
redis.call('XADD', KEYS[2], '*', unpack(copy))
redis.call('XDEL', KEYS[1], ARGV[1])
return 1`;

/** Stream entry ids are `<ms>-<seq>`: anything else is no entry of ours (and would be a Redis error). */
const ENTRY_ID = /^\d{1,20}-\d{1,20}$/;

/**
 * The Redis notification stream's dead letters (`<prefix>queue:dlq`, where `RedisNotificationStream`
 * moves a message after `HERMES_MAX_RECEIVE_COUNT` receives), as the operator's console handles them.
 * A dead letter's id is its entry id in the dead-letter stream.
 */
export class RedisDeadLetterQueue implements DeadLetterQueue {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  async list(max = 100): Promise<DeadLetter[]> {
    const entries = await readStream(this.redis, this.keys.deadLetterQueue, max);
    return entries.map(({ id, fields }) => {
      const sentAt = Number(fields['sentAt']);
      return {
        id,
        body: fields['body'] ?? '',
        receiveCount: Number(fields['receiveCount'] ?? '0'),
        ...(Number.isFinite(sentAt) && fields['sentAt'] !== undefined && { sentAt: new Date(sentAt).toISOString() }),
      };
    });
  }

  async redrive(id: string): Promise<boolean> {
    if (!ENTRY_ID.test(id)) return false;
    const { deadLetterQueue, queue } = this.keys;
    const moved = await this.redis.call('redrive a dead letter', (client) => client.eval(REDRIVE, 2, deadLetterQueue, queue, id));
    return moved === 1;
  }

  async discard(id: string): Promise<boolean> {
    if (!ENTRY_ID.test(id)) return false;
    const deleted = await this.redis.call('discard a dead letter', (client) => client.xdel(this.keys.deadLetterQueue, id));
    return deleted === 1;
  }
}
