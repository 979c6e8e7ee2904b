/**
 * A token bucket: `ratePerSecond` tokens a second, at most `burst` saved up. API Gateway throttles
 * this way (steady-state rate plus burst), per account and Region.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  /** Takes one token; false when the bucket is empty (the request is throttled). */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** A bucket for a rate of `ratePerSecond` (burst `burst`, default the rate), or none when the rate is 0 (no throttling). */
export function throttleOf(ratePerSecond: number, burst?: number): TokenBucket | undefined {
  if (ratePerSecond <= 0) return undefined;
  return new TokenBucket(ratePerSecond, Math.max(1, burst && burst > 0 ? burst : ratePerSecond));
}
