import { errorMessage } from '../../domain/shared/HermesError.js';
import type { Logger } from '../shared/ports/Logger.js';
import type { RunStatusChange, RunStatusListener } from './ports/RunStatusListener.js';

/** Tells `listener` about `change`; a failing listener is logged and never fails the run. */
export async function announceRunStatus(listener: RunStatusListener, logger: Logger, change: RunStatusChange): Promise<void> {
  try {
    await listener.runStatusChanged(change);
  } catch (error) {
    logger.warn('Could not publish the run notification', { runId: change.runId, status: change.status, error: errorMessage(error) });
  }
}
