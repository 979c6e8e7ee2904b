import type {
  CounterLabels,
  CounterName,
  GaugeLabels,
  GaugeName,
  HistogramLabels,
  HistogramName,
} from '../../application/shared/ports/Metrics.js';
import type { InvocationMetrics } from './InvocationMetrics.js';

/** The per-second series the operator's console charts. */
export interface Activity {
  /** Epoch seconds of each point, oldest first. */
  readonly seconds: readonly number[];
  readonly messagesIn: readonly number[];
  readonly deliveries: readonly number[];
  /** Deliveries that found the connection gone (API Gateway's 410). */
  readonly gone: readonly number[];
}

interface Bucket {
  second: number;
  messagesIn: number;
  deliveries: number;
  gone: number;
}

/**
 * Passes every metric on to `inner` and keeps, per second over the last `windowSeconds`, the
 * messages received, deliveries and 410s: the console's chart, without a time-series database.
 */
export class ActivityTimeline implements InvocationMetrics {
  private readonly buckets: Bucket[];

  constructor(
    private readonly inner: InvocationMetrics,
    private readonly windowSeconds = 300,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.buckets = Array.from({ length: windowSeconds }, () => ({ second: -1, messagesIn: 0, deliveries: 0, gone: 0 }));
  }

  increment<N extends CounterName>(name: N, labels: CounterLabels[N], by = 1): void {
    this.inner.increment(name, labels, by);
    if (name === 'hermes_messages_received_total') this.bucket().messagesIn += by;
    else if (name === 'hermes_deliveries_total') {
      const outcome = (labels as CounterLabels['hermes_deliveries_total']).outcome;
      if (outcome === 'delivered') this.bucket().deliveries += by;
      else if (outcome === 'gone') this.bucket().gone += by;
    }
  }

  observe<N extends HistogramName>(name: N, seconds: number, labels?: HistogramLabels[N]): void {
    this.inner.observe(name, seconds, labels);
  }

  set<N extends GaugeName>(name: N, value: number, labels?: GaugeLabels[N]): void {
    this.inner.set(name, value, labels);
  }

  captureColdStart(functionName?: string): void {
    this.inner.captureColdStart(functionName);
  }

  flush(): void {
    this.inner.flush();
  }

  /** The last `windowSeconds` seconds, one point per second (zeros where nothing happened). */
  activity(): Activity {
    const now = this.nowSeconds();
    const seconds: number[] = [];
    const messagesIn: number[] = [];
    const deliveries: number[] = [];
    const gone: number[] = [];
    for (let second = now - this.windowSeconds + 1; second <= now; second += 1) {
      const bucket = this.buckets[second % this.windowSeconds] as Bucket;
      const current = bucket.second === second;
      seconds.push(second);
      messagesIn.push(current ? bucket.messagesIn : 0);
      deliveries.push(current ? bucket.deliveries : 0);
      gone.push(current ? bucket.gone : 0);
    }
    return { seconds, messagesIn, deliveries, gone };
  }

  private bucket(): Bucket {
    const second = this.nowSeconds();
    const bucket = this.buckets[second % this.windowSeconds] as Bucket;
    if (bucket.second !== second) Object.assign(bucket, { second, messagesIn: 0, deliveries: 0, gone: 0 });
    return bucket;
  }
}
