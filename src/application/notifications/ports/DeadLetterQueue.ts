/** A notification the queue gave up on after its `maxReceiveCount` receives. */
export interface DeadLetter {
  /** The queue's message id. */
  readonly id: string;
  readonly body: string;
  readonly receiveCount: number;
  /** ISO 8601: when it was first sent. */
  readonly sentAt?: string;
}

/** The notification queue's dead-letter queue, as an operator handles it. */
export interface DeadLetterQueue {
  /** Up to `max` dead-lettered notifications. */
  list(max?: number): Promise<DeadLetter[]>;
  /** Sends it back to the notification queue (a fresh receive count); false when it is not there. */
  redrive(id: string): Promise<boolean>;
  /** Deletes it for good; false when it is not there. */
  discard(id: string): Promise<boolean>;
}
