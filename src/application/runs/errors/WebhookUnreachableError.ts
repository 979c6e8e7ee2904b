import { PermanentError, type HermesErrorOptions } from '../../../domain/shared/HermesError.js';

/** A webhook endpoint never answered (timeouts, refused connections) after every attempt. The message names no URL. */
export class WebhookUnreachableError extends PermanentError {
  readonly code = 'WEBHOOK_UNREACHABLE';

  constructor(
    reason: string,
    readonly attempts: number,
    options: HermesErrorOptions = {},
  ) {
    super(`${reason} after ${attempts} attempt${attempts === 1 ? '' : 's'}`, options);
  }
}
