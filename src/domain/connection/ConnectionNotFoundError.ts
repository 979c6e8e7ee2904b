import { DomainError } from '../shared/HermesError.js';

export class ConnectionNotFoundError extends DomainError {
  readonly code = 'CONNECTION_NOT_FOUND';

  constructor(connectionId: string) {
    super(`connection ${connectionId} is not registered`, { details: { connectionId } });
  }
}
