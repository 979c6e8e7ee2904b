import { inject, injectable } from 'inversify';
import { ConnectionId } from '../../../domain/connection/ConnectionId.js';
import type { ConnectionRepository } from '../ports/ConnectionRepository.js';
import { NOTIFICATION_TOKENS } from '../tokens.js';

/** `$disconnect`: forgets the connection. Idempotent, since API Gateway may call it after a 410 cleanup. */
@injectable()
export class UnregisterConnection {
  constructor(@inject(NOTIFICATION_TOKENS.ConnectionRepository) private readonly connections: ConnectionRepository) {}

  async execute(connectionId: unknown): Promise<void> {
    await this.connections.delete(ConnectionId.of(connectionId));
  }
}
