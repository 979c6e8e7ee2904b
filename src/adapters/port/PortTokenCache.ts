/** A token and how long Port said it lives. */
export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
}

export interface PortTokenCacheOptions {
  /** Refresh this long before expiry (capped at a tenth of the token's lifetime). Default 60 s. */
  readonly refreshMarginMs?: number;
  readonly now?: () => number;
}

interface CachedToken {
  readonly value: string;
  readonly refreshAt: number;
}

/**
 * Port access tokens, fetched once and reused until shortly before they expire. Concurrent callers
 * share one in-flight request (single flight); a token the API refused can be invalidated so the
 * next caller fetches a new one. Tokens are never logged.
 */
export class PortTokenCache {
  private cached: CachedToken | undefined;
  private inflight: Promise<string> | undefined;
  private readonly refreshMarginMs: number;
  private readonly now: () => number;

  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    options: PortTokenCacheOptions = {},
  ) {
    this.refreshMarginMs = options.refreshMarginMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** A valid token: the cached one, the one being fetched, or a new one. */
  async get(): Promise<string> {
    const cached = this.cached;
    if (cached !== undefined && this.now() < cached.refreshAt) return cached.value;
    this.inflight ??= this.fetch().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Forgets `token` if it is still the cached one (Port answered 401 with it). */
  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async fetch(): Promise<string> {
    const issuedAt = this.now();
    const token = await this.issue();
    const lifetimeMs = Math.max(0, token.expiresInSeconds * 1000);
    const margin = Math.min(this.refreshMarginMs, lifetimeMs / 10);
    this.cached = { value: token.accessToken, refreshAt: issuedAt + lifetimeMs - margin };
    return token.accessToken;
  }
}
