import { ACTION_INPUT_INVALID } from '../../domain/runs/ActionInputInvalidError.js';
import { boundedText, MAX_SUMMARY_LENGTH, type RunOutcome } from '../../domain/runs/RunOutcome.js';
import { DomainError, hermesErrorCode } from '../../domain/shared/HermesError.js';
import { PortRequestRejectedError } from './errors/PortRequestRejectedError.js';
import { RunTimedOutError } from './errors/RunTimedOutError.js';

/**
 * The FAILURE a user sees for a handler's error. Only messages written to be shown (domain errors,
 * Port's refusals) are passed on; anything else becomes a generic line with a reference to find the
 * details in hermes's logs. Never a stack trace, never a secret. A handler's errors may come from its own
 * copy of `hermes/runner`: domain errors are told by their brand, invalid inputs by their code.
 */
export function failureOutcome(action: string, error: unknown, reference: string): RunOutcome {
  const code = hermesErrorCode(error);
  if (error instanceof DomainError && (code === ACTION_INPUT_INVALID || code === 'VALIDATION_FAILED')) {
    return { status: 'FAILURE', statusLabel: 'Invalid input', summary: boundedText(error.message, MAX_SUMMARY_LENGTH) };
  }
  if (error instanceof RunTimedOutError) {
    return { status: 'FAILURE', statusLabel: 'Timed out', summary: boundedText(error.message, MAX_SUMMARY_LENGTH) };
  }
  if (error instanceof DomainError) {
    return { status: 'FAILURE', statusLabel: 'Failed', summary: boundedText(error.message, MAX_SUMMARY_LENGTH) };
  }
  if (error instanceof PortRequestRejectedError) {
    return { status: 'FAILURE', statusLabel: 'Rejected by Port', summary: boundedText(error.message, MAX_SUMMARY_LENGTH) };
  }
  return {
    status: 'FAILURE',
    statusLabel: 'Error',
    summary: `${action} failed with an unexpected error (reference ${reference} in the runner's logs)`,
  };
}
