export interface BroadcastReport {
  readonly delivered: number;
  /** Connections found gone and deleted. */
  readonly gone: number;
  /** Connections that could not be reached for another reason; they are kept. */
  readonly failed: number;
}
