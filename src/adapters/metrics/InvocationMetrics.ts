import type { Metrics } from '../../application/shared/ports/Metrics.js';

/** Metrics as an entrypoint drives them: Lambda publishes once per invocation; a scraped registry needs neither call. */
export interface InvocationMetrics extends Metrics {
  /** Records the `ColdStart` metric when this is the execution environment's first invocation (Lambda only). */
  captureColdStart(functionName?: string): void;
  /** Publishes what the invocation recorded (EMF on Lambda; nothing to do for Prometheus). */
  flush(): void;
}
