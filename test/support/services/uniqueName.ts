import { randomBytes } from 'node:crypto';

/**
 * Shared services keep state for the whole run, so each test should create
 * its own tables, queues and topics: uniqueName('orders') -> 'orders-1a2b3c4d'.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
