/** Where the runner's Kafka consumer is. Only `consuming` means runs are being received. */
export type ConsumerStateName = 'connecting' | 'consuming' | 'reconnecting' | 'stopped';

/** The consumer's state, for `/health` and logs. */
export interface ConsumerStatus {
  readonly state: ConsumerStateName;
  /** When it entered this state (ISO 8601). */
  readonly since: string;
  /** The last connection or consumer error, without secrets; cleared once consuming again. */
  readonly lastError?: string;
  /** Connection attempts since the consumer last consumed. */
  readonly attempts: number;
}
