import { randomUUID } from 'node:crypto';
import { injectable } from 'inversify';
import type { IdGenerator } from '../../application/shared/ports/IdGenerator.js';

@injectable()
export class RandomIdGenerator implements IdGenerator {
  next(): string {
    return randomUUID();
  }
}
