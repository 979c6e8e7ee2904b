import { DomainError } from '../shared/HermesError.js';

export class NotificationTooLargeError extends DomainError {
  readonly code = 'NOTIFICATION_TOO_LARGE';

  constructor(
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(`notification is ${sizeBytes} bytes; the limit is ${limitBytes}`, { details: { sizeBytes, limitBytes } });
  }
}
