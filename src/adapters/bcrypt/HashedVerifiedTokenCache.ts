import { createHash } from 'node:crypto';
import type { VerifiedTokenCache } from '../../application/notifications/ports/VerifiedTokenCache.js';

/**
 * Verified tokens in process memory, keyed by SHA-256 of (token, grant hash): the token is never
 * kept in clear, and a new grant for the same user and room misses. At most `maxEntries` entries;
 * the least recently used goes first, and an entry is dropped at its expiry.
 */
export class HashedVerifiedTokenCache implements VerifiedTokenCache {
  /** Insertion order is recency order: a hit moves its entry to the end. */
  private readonly entries = new Map<string, number>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  isVerified(secret: string, hash: string, now: Date): boolean {
    const key = keyOf(secret, hash);
    const until = this.entries.get(key);
    if (until === undefined) return false;
    this.entries.delete(key);
    if (until <= now.getTime()) return false;
    this.entries.set(key, until);
    return true;
  }

  remember(secret: string, hash: string, until: Date): void {
    if (this.maxEntries <= 0) return;
    const key = keyOf(secret, hash);
    this.entries.delete(key);
    this.entries.set(key, until.getTime());
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}

function keyOf(secret: string, hash: string): string {
  return createHash('sha256').update(secret).update('\0').update(hash).digest('base64url');
}
