/** One adapter family's answer to "can you serve?", for `GET /ready`. */
export interface ReadinessCheck {
  /** What is checked, as `/ready` names it: `dynamodb`, `sqs`, `redis`, `kafka`. */
  readonly name: string;
  /** Resolves when the dependency answers; rejects (with a reason safe to show) when it does not. */
  check(signal: AbortSignal): Promise<void>;
}
