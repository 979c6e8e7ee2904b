import type { ActionRun } from '../../domain/runs/ActionRun.js';
import type { RunOutcome } from '../../domain/runs/RunOutcome.js';
import { errorMessage } from '../../domain/shared/HermesError.js';
import type { Clock } from '../shared/ports/Clock.js';
import type { IdGenerator } from '../shared/ports/IdGenerator.js';
import type { Logger } from '../shared/ports/Logger.js';
import { RunDeferredError } from './errors/RunDeferredError.js';
import type { RunLedger } from './ports/RunLedger.js';

/** What the ledger says of a run about to be handled. */
export type LeaseClaim =
  | { readonly kind: 'claimed'; readonly claimId: string }
  | { readonly kind: 'handled'; readonly outcome: RunOutcome }
  | { readonly kind: 'reported' };

/**
 * The ledger protocol around a handler (what prevents running a handler twice): claim the run for
 * `leaseMs`, record its outcome, or release it for a retry. A ledger failure, or a run held by
 * another worker, defers the run (`RunDeferredError`).
 */
export class RunLease {
  constructor(
    private readonly ledger: RunLedger,
    private readonly leaseMs: number,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async claim(run: ActionRun): Promise<LeaseClaim> {
    const claimId = this.ids.next();
    let claim;
    try {
      claim = await this.ledger.claim(run.runId, claimId, this.leaseMs);
    } catch (error) {
      this.logger.warn('Run deferred: could not claim the run in the ledger', { runId: run.runId, error: errorMessage(error) });
      throw new RunDeferredError(run.runId, `the run ledger failed to claim the run: ${errorMessage(error)}`, undefined, {
        cause: error,
      });
    }
    switch (claim.kind) {
      case 'busy':
        throw new RunDeferredError(
          run.runId,
          'another worker is handling this run',
          Math.max(0, claim.leaseExpiresAt.getTime() - this.clock.now().getTime()),
        );
      case 'claimed':
        return { kind: 'claimed', claimId };
      default:
        return claim;
    }
  }

  /** Records the handler's outcome; false (logged) when the ledger failed: then a redelivery runs the handler again. */
  async recordOutcome(
    run: ActionRun,
    claimId: string,
    outcome: RunOutcome,
    described: Readonly<Record<string, unknown>>,
  ): Promise<boolean> {
    try {
      await this.ledger.markHandled(run.runId, claimId, outcome);
      return true;
    } catch (error) {
      this.logger.warn('Could not record the run outcome in the ledger', { ...described, error: errorMessage(error) });
      return false;
    }
  }

  /** Gives the claim up so a retry may run the handler at once; a failure only delays the retry to the lease's end. */
  async release(run: ActionRun, claimId: string, described: Readonly<Record<string, unknown>>): Promise<void> {
    await this.ledger.release(run.runId, claimId).catch((error: unknown) => {
      this.logger.warn('Could not release the run claim; a retry waits for the lease to end', {
        ...described,
        error: errorMessage(error),
      });
    });
  }
}
