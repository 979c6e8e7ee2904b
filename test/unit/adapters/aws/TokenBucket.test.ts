import { expect } from 'chai';
import { TokenBucket } from '../../../../src/adapters/aws/TokenBucket.js';

/** A bucket on a virtual clock: waits advance time instead of sleeping. */
function virtualBucket(ratePerSecond: number, burst?: number): { bucket: TokenBucket; clock: { now: number }; waits: number[] } {
  const clock = { now: 0 };
  const waits: number[] = [];
  const bucket = new TokenBucket({
    ratePerSecond,
    ...(burst === undefined ? {} : { burst }),
    now: () => clock.now,
    wait: async (ms) => {
      waits.push(ms);
    },
  });
  return { bucket, clock, waits };
}

describe('TokenBucket (HERMES_NOTIFIER_RPS)', () => {
  it('lets a burst through, then spaces callers 1/rate apart, shared by concurrent callers', async () => {
    const { bucket, waits } = virtualBucket(10, 3);
    await Promise.all(Array.from({ length: 6 }, () => bucket.take()));
    // Three at once (the burst), then 100 ms, 200 ms, 300 ms later.
    expect(waits).to.deep.equal([100, 200, 300]);
  });

  it('refills while idle, never beyond the burst', async () => {
    const { bucket, clock, waits } = virtualBucket(10, 2);
    for (let i = 0; i < 2; i += 1) await bucket.take();
    clock.now = 10_000;
    for (let i = 0; i < 3; i += 1) await bucket.take();
    expect(waits).to.deep.equal([100]);
  });

  it('is unlimited without a rate, except while slowed down by a 429', async () => {
    const { bucket, clock, waits } = virtualBucket(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 1_000; i += 1) await bucket.take();
    expect(waits).to.deep.equal([]);
    bucket.slowDown(250);
    bucket.slowDown(100);
    await bucket.take();
    expect(waits).to.deep.equal([250]);
    clock.now = 1_000;
    await bucket.take();
    expect(waits).to.have.length(1);
  });
});
