import { expect } from 'chai';
import { InMemoryRunLedger } from '../../../src/adapters/memory/InMemoryRunLedger.js';
import { runLedgerContract } from './runLedgerContract.js';
import { ManualClock } from './support.js';

runLedgerContract('InMemoryRunLedger', async (clock) => new InMemoryRunLedger(clock));

describe('InMemoryRunLedger', () => {
  it('stays bounded, forgetting the oldest runs first', async () => {
    const ledger = new InMemoryRunLedger(new ManualClock(), 3);
    for (const runId of ['r1', 'r2', 'r3', 'r4']) await ledger.markReported(runId);
    expect(ledger.stateOf('r1')).to.equal(undefined);
    expect(ledger.stateOf('r4')).to.equal('reported');
  });
});
