import { DomainError } from '../shared/DomainError.js';

export class NotificationTooLargeError extends DomainError {
  readonly code = 'NOTIFICATION_TOO_LARGE';

  constructor(readonly sizeBytes: number, readonly limitBytes: number) {
    super(`notification is ${sizeBytes} bytes; the limit is ${limitBytes}`, { sizeBytes, limitBytes });
  }
}
