import type { RunClaim, RunLedger } from '../../application/runs/ports/RunLedger.js';
import type { Clock } from '../../application/shared/ports/Clock.js';
import type { RunOutcome } from '../../domain/runs/RunOutcome.js';
import type { RedisConnection } from './RedisConnection.js';
import type { RedisKeys } from './RedisKeys.js';

/** Each state change is one Lua script: Redis runs it atomically, so concurrent workers agree. */
const CLAIM = `
local state = redis.call('HGET', KEYS[1], 'state')
local now = tonumber(ARGV[2])
if state == 'reported' then return {'reported'} end
if state == 'handled' then return {'handled', redis.call('HGET', KEYS[1], 'outcome')} end
if state == 'claimed' then
  local lease = tonumber(redis.call('HGET', KEYS[1], 'leaseExpiresAt'))
  if lease and lease > now then return {'busy', tostring(lease)} end
end
redis.call('HSET', KEYS[1], 'state', 'claimed', 'claimId', ARGV[1], 'leaseExpiresAt', tostring(now + tonumber(ARGV[3])))
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {'claimed'}`;

const MARK_HANDLED = `
if redis.call('HGET', KEYS[1], 'state') == 'reported' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'handled', 'outcome', ARGV[1])
redis.call('HDEL', KEYS[1], 'claimId', 'leaseExpiresAt')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

const MARK_REPORTED = `
redis.call('HSET', KEYS[1], 'state', 'reported')
redis.call('HDEL', KEYS[1], 'claimId', 'leaseExpiresAt', 'outcome')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;

const RELEASE = `
if redis.call('HGET', KEYS[1], 'state') == 'claimed' and redis.call('HGET', KEYS[1], 'claimId') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

const DEFAULT_RETENTION_MS = 14 * 24 * 3600 * 1000;

function outcomeOf(raw: unknown): RunOutcome | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const { status, statusLabel, summary, link } = JSON.parse(raw) as Record<string, unknown>;
    if (status !== 'SUCCESS' && status !== 'FAILURE') return undefined;
    return {
      status,
      ...(typeof statusLabel === 'string' && { statusLabel }),
      ...(typeof summary === 'string' && { summary }),
      ...(Array.isArray(link) && { link: link.filter((item): item is string => typeof item === 'string') }),
    };
  } catch {
    return undefined;
  }
}

/**
 * The run ledger in Redis: a hash per run (`state`, `claimId`, `leaseExpiresAt`, `outcome`,
 * `attempts`) expiring `retentionMs` after its last change, the DynamoDB ledger's semantics.
 */
export class RedisRunLedger implements RunLedger {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
    private readonly retentionMs = DEFAULT_RETENTION_MS,
  ) {}

  async claim(runId: string, claimId: string, leaseMs: number): Promise<RunClaim> {
    const now = this.clock.now().getTime();
    const [kind, detail] = (await this.redis.call('claim run', (client) =>
      client.eval(CLAIM, 1, this.keys.run(runId), claimId, now, leaseMs, this.retentionMs),
    )) as [string, string | undefined];
    if (kind === 'reported') return { kind: 'reported' };
    if (kind === 'busy') return { kind: 'busy', leaseExpiresAt: new Date(Number(detail)) };
    if (kind === 'handled') {
      const outcome = outcomeOf(detail);
      // An unreadable outcome is reported as a failure rather than running the handler twice.
      return { kind: 'handled', outcome: outcome ?? { status: 'FAILURE', summary: 'the recorded outcome could not be read' } };
    }
    return { kind: 'claimed' };
  }

  async markHandled(runId: string, _claimId: string, outcome: RunOutcome): Promise<void> {
    const stored = JSON.stringify({
      status: outcome.status,
      ...(outcome.statusLabel !== undefined && { statusLabel: outcome.statusLabel }),
      ...(outcome.summary !== undefined && { summary: outcome.summary }),
      ...(outcome.link !== undefined && { link: [...outcome.link] }),
    });
    await this.redis.call('mark run handled', (client) => client.eval(MARK_HANDLED, 1, this.keys.run(runId), stored, this.retentionMs));
  }

  async markReported(runId: string): Promise<void> {
    await this.redis.call('mark run reported', (client) => client.eval(MARK_REPORTED, 1, this.keys.run(runId), this.retentionMs));
  }

  async release(runId: string, claimId: string): Promise<void> {
    await this.redis.call('release run', (client) => client.eval(RELEASE, 1, this.keys.run(runId), claimId));
  }
}
