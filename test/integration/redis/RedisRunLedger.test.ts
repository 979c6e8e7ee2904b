import { expect } from 'chai';
import { RedisRunLedger } from '../../../src/adapters/redis/RedisRunLedger.js';
import { uniqueName } from '../../support/services/index.js';
import { runLedgerContract } from '../../unit/runs/runLedgerContract.js';
import { ManualClock } from '../../unit/runs/support.js';
import { withLocalRedis } from './support/localRedis.js';

describe('RedisRunLedger on redis-server', function () {
  this.timeout(30_000);
  const redis = withLocalRedis();

  runLedgerContract('RedisRunLedger', async (clock) => new RedisRunLedger(redis().connection, redis().keys, clock), uniqueName);

  it('keeps a run for its retention after the last change, and counts claims', async function () {
    const clock = new ManualClock(Date.now());
    const ledger = new RedisRunLedger(redis().connection, redis().keys, clock, 3_600_000);
    const runId = uniqueName('run_ttl');
    await ledger.claim(runId, 'c1', 1_000);
    clock.advance(1_001);
    await ledger.claim(runId, 'c2', 1_000);
    const key = redis().keys.run(runId);
    expect(await redis().connection.client.hgetall(key)).to.include({ state: 'claimed', claimId: 'c2', attempts: '2' });
    const ttl = await redis().connection.client.pttl(key);
    expect(ttl).to.be.within(3_590_000, 3_600_000);
  });
});
