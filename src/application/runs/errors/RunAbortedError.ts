import { TransientError } from '../../../domain/shared/HermesError.js';

/** The runner shut down while the handler ran (`ctx.signal` aborted): the run is not reported, so Kafka redelivers it. */
export class RunAbortedError extends TransientError {
  readonly code = 'RUN_ABORTED';

  constructor(runId: string) {
    super(`run ${runId} was aborted: the runner is shutting down`);
  }
}
