import { expect } from 'chai';
import type { RunLedger } from '../../../src/application/runs/ports/RunLedger.js';
import { ManualClock } from './support.js';

/**
 * What every RunLedger must do. `create` builds an empty ledger on `clock` (the suite moves it);
 * `unique` makes run ids unique when the store is shared between tests.
 */
export function runLedgerContract(
  name: string,
  create: (clock: ManualClock) => Promise<RunLedger>,
  unique: (runId: string) => string = (runId) => runId,
): void {
  describe(`${name} (RunLedger contract)`, function () {
    let clock: ManualClock;
    let ledger: RunLedger;

    beforeEach(async function () {
      clock = new ManualClock(Date.now());
      ledger = await create(clock);
    });

    it('grants the first claim and refuses a second one while the lease lasts', async function () {
      const runId = unique('run_a');
      expect(await ledger.claim(runId, 'c1', 10_000)).to.deep.equal({ kind: 'claimed' });
      const second = await ledger.claim(runId, 'c2', 10_000);
      expect(second.kind).to.equal('busy');
      if (second.kind === 'busy') expect(second.leaseExpiresAt.getTime()).to.equal(clock.now().getTime() + 10_000);
    });

    it('grants a new claim once the lease has ended (a crashed worker)', async function () {
      const runId = unique('run_b');
      await ledger.claim(runId, 'c1', 10_000);
      clock.advance(10_001);
      expect(await ledger.claim(runId, 'c2', 10_000)).to.deep.equal({ kind: 'claimed' });
    });

    it('frees a released claim at once, but only for its holder', async function () {
      const runId = unique('run_c');
      await ledger.claim(runId, 'c1', 10_000);
      await ledger.release(runId, 'someone-else');
      expect((await ledger.claim(runId, 'c2', 10_000)).kind).to.equal('busy');
      await ledger.release(runId, 'c1');
      expect(await ledger.claim(runId, 'c3', 10_000)).to.deep.equal({ kind: 'claimed' });
    });

    it('keeps a handled outcome for a retry, whatever the lease', async function () {
      const runId = unique('run_d');
      await ledger.claim(runId, 'c1', 10_000);
      const outcome = { status: 'SUCCESS', statusLabel: 'Deploying', summary: 'ok', link: ['https://x/y'] } as const;
      await ledger.markHandled(runId, 'c1', outcome);
      expect(await ledger.claim(runId, 'c2', 10_000)).to.deep.equal({ kind: 'handled', outcome });
      clock.advance(60_000);
      expect(await ledger.claim(runId, 'c3', 10_000)).to.deep.equal({ kind: 'handled', outcome });
    });

    it('skips a reported run for good, and a late markHandled does not revive it', async function () {
      const runId = unique('run_e');
      await ledger.claim(runId, 'c1', 10_000);
      await ledger.markHandled(runId, 'c1', { status: 'FAILURE', summary: 'bad input' });
      await ledger.markReported(runId);
      await ledger.markHandled(runId, 'c1', { status: 'SUCCESS' });
      await ledger.release(runId, 'c1');
      clock.advance(3_600_000);
      expect(await ledger.claim(runId, 'c2', 10_000)).to.deep.equal({ kind: 'reported' });
    });

    it('grants exactly one of many concurrent claims', async function () {
      const runId = unique('run_f');
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => ledger.claim(runId, `c${i}`, 10_000)));
      expect(claims.filter((claim) => claim.kind === 'claimed')).to.have.length(1);
      expect(claims.filter((claim) => claim.kind === 'busy')).to.have.length(7);
    });
  });
}
