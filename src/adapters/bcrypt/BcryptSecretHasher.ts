import { compare, hash } from 'bcryptjs';
import type { SecretHasher } from '../../application/notifications/ports/SecretHasher.js';

/** bcryptjs, async API only (the sync one blocks the event loop for every hash). */
export class BcryptSecretHasher implements SecretHasher {
  constructor(private readonly cost: number) {}

  hash(secret: string): Promise<string> {
    return hash(secret, this.cost);
  }

  async compare(secret: string, hashed: string): Promise<boolean> {
    try {
      return await compare(secret, hashed);
    } catch {
      return false;
    }
  }
}
