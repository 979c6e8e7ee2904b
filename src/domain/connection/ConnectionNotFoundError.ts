import { DomainError } from '../shared/DomainError.js';

export class ConnectionNotFoundError extends DomainError {
  readonly code = 'CONNECTION_NOT_FOUND';

  constructor(connectionId: string) {
    super(`connection ${connectionId} is not registered`, { connectionId });
  }
}
