/** One record of the runs topic, as handed to the processor. */
export interface KafkaRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/** What a processor may tell the consumer about a record while it is still being processed. */
export interface RecordProgress {
  /**
   * The record's handler is done and its outcome durably recorded; what is left (its report) may
   * overlap with the next record of the partition. Calling it more than once is harmless.
   */
  handled(): void;
}
