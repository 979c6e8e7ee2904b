import type { RunClaim, RunLedger } from '../../application/runs/ports/RunLedger.js';
import type { Clock } from '../../application/shared/ports/Clock.js';
import type { RunOutcome } from '../../domain/runs/RunOutcome.js';

type Entry =
  | { readonly state: 'claimed'; readonly claimId: string; readonly leaseExpiresAt: number }
  | { readonly state: 'handled'; readonly outcome: RunOutcome }
  | { readonly state: 'reported' };

/**
 * The run ledger of one process (`memory` profile, tests). Same semantics as the DynamoDB one:
 * a claim is a lease; handled outcomes are kept; reported runs are skipped.
 */
export class InMemoryRunLedger implements RunLedger {
  private readonly entries = new Map<string, Entry>();

  /** Keeps at most `maxEntries` runs; the oldest are forgotten first (a long-lived process stays bounded). */
  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = 100_000,
  ) {}

  async claim(runId: string, claimId: string, leaseMs: number): Promise<RunClaim> {
    const now = this.clock.now().getTime();
    const entry = this.entries.get(runId);
    if (entry?.state === 'reported') return { kind: 'reported' };
    if (entry?.state === 'handled') return { kind: 'handled', outcome: entry.outcome };
    if (entry?.state === 'claimed' && entry.leaseExpiresAt > now) {
      return { kind: 'busy', leaseExpiresAt: new Date(entry.leaseExpiresAt) };
    }
    this.put(runId, { state: 'claimed', claimId, leaseExpiresAt: now + leaseMs });
    return { kind: 'claimed' };
  }

  async markHandled(runId: string, _claimId: string, outcome: RunOutcome): Promise<void> {
    if (this.entries.get(runId)?.state === 'reported') return;
    this.put(runId, { state: 'handled', outcome });
  }

  async markReported(runId: string): Promise<void> {
    this.put(runId, { state: 'reported' });
  }

  async release(runId: string, claimId: string): Promise<void> {
    const entry = this.entries.get(runId);
    if (entry?.state === 'claimed' && entry.claimId === claimId) this.entries.delete(runId);
  }

  private put(runId: string, entry: Entry): void {
    this.entries.delete(runId);
    this.entries.set(runId, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  /** The ledger's state of a run, for tests and diagnostics. */
  stateOf(runId: string): Entry['state'] | undefined {
    return this.entries.get(runId)?.state;
  }
}
