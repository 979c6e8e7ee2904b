// No SDK import here: configuration reads these defaults, and every Lambda bundle holds the configuration.

/** Time limits of every SDK call: a storage that does not answer fails the call instead of hanging it. */
export interface AwsTimeouts {
  /** TCP (and TLS) connection set-up. */
  readonly connectionTimeoutMs: number;
  /** One attempt, from request sent to response read; the SDK retries a timed-out attempt (TimeoutError is transient). */
  readonly requestTimeoutMs: number;
}

/**
 * DynamoDB and SQS answer in milliseconds; with the SDK's 3 attempts a call that cannot be served
 * fails in about 3 × 3 s (plus backoff), well within API Gateway's 29 s integration timeout. The
 * connection timeout is looser: on a busy host the connect event itself can be handled late.
 */
export const DEFAULT_AWS_TIMEOUTS: AwsTimeouts = { connectionTimeoutMs: 3_000, requestTimeoutMs: 3_000 };
