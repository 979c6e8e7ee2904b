import type { Metrics } from '../../application/shared/ports/Metrics.js';

/** What a broadcast reports (`BroadcastReport`): deliveries by outcome. */
interface DeliveryCounts {
  readonly delivered: number;
  readonly gone: number;
  readonly failed: number;
}

interface Broadcasting<A extends unknown[], R extends DeliveryCounts> {
  execute(...args: A): Promise<R>;
}

/**
 * Times every `execute` of a broadcast use case (`hermes_broadcast_duration_seconds`) and counts
 * the deliveries its report gives (`hermes_deliveries_total{outcome}`), without touching the use
 * case: the composition root wraps the instance it built.
 */
export function meterBroadcasts<A extends unknown[], R extends DeliveryCounts, T extends Broadcasting<A, R>>(
  useCase: T,
  metrics: Metrics,
): T {
  const execute = useCase.execute.bind(useCase);
  useCase.execute = async (...args: A): Promise<R> => {
    const start = performance.now();
    const report = await execute(...args);
    metrics.observe('hermes_broadcast_duration_seconds', (performance.now() - start) / 1000);
    for (const outcome of ['delivered', 'gone', 'failed'] as const) {
      if (report[outcome] > 0) metrics.increment('hermes_deliveries_total', { outcome }, report[outcome]);
    }
    return report;
  };
  return useCase;
}
