import type { RunOutcome } from '../../../domain/runs/RunOutcome.js';

/** What the ledger knows of a run when a worker asks for it. */
export type RunClaim =
  /** The caller now holds the run until its lease ends: run the handler. */
  | { readonly kind: 'claimed' }
  /** The handler already ran (its outcome is kept); only the report to Port is missing. */
  | { readonly kind: 'handled'; readonly outcome: RunOutcome }
  /** The run was handled and reported: nothing to do. */
  | { readonly kind: 'reported' }
  /** Another worker holds a live lease on the run: try again after it ends. */
  | { readonly kind: 'busy'; readonly leaseExpiresAt: Date };

/**
 * Idempotency of runs across redeliveries, restarts and concurrent workers. A claim is a lease:
 * a worker that crashes mid-run loses it when the lease ends, so a later delivery may proceed, but
 * two workers never hold the same run at once.
 */
export interface RunLedger {
  /** Claims `runId` for `claimId` for `leaseMs`, unless it is handled, reported, or held by a live lease. */
  claim(runId: string, claimId: string, leaseMs: number): Promise<RunClaim>;
  /** Records the handler's outcome, so a retry reports it without running the handler again. */
  markHandled(runId: string, claimId: string, outcome: RunOutcome): Promise<void>;
  /** Records that Port has the final status; later deliveries are skipped. */
  markReported(runId: string): Promise<void>;
  /** Gives a claim up (the handler failed for a transient reason) so a retry need not wait for the lease. */
  release(runId: string, claimId: string): Promise<void>;
}
