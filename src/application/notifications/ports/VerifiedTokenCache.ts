/**
 * Remembers that a connection token matched a stored grant hash, so a reconnect with the same token
 * skips the slow bcrypt comparison. A changed grant (a new hash) is a different entry.
 */
export interface VerifiedTokenCache {
  /** True when `secret` was verified against `hash` and that verdict is still valid at `now`. */
  isVerified(secret: string, hash: string, now: Date): boolean;
  /** Records a successful verification, valid until `until` (the token's `exp`, or the grant's end if sooner). */
  remember(secret: string, hash: string, until: Date): void;
}

/** A cache that remembers nothing: every connect pays the comparison. */
export const NO_VERIFIED_TOKEN_CACHE: VerifiedTokenCache = {
  isVerified: () => false,
  remember: () => undefined,
};
