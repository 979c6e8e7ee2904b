import { Metrics as PowertoolsBaseMetrics } from '@aws-lambda-powertools/metrics';
import type {
  CounterLabels,
  CounterName,
  GaugeLabels,
  GaugeName,
  HistogramLabels,
  HistogramName,
} from '../../application/shared/ports/Metrics.js';
import type { InvocationMetrics } from './InvocationMetrics.js';

/** CloudWatch namespace of every hermes metric. */
export const METRICS_NAMESPACE = 'hermes';

type Unit = 'Count' | 'Seconds';

/** One metric and label set of an invocation: counters sum, gauges keep the last value, histograms every observation. */
interface Series {
  readonly name: string;
  readonly unit: Unit;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly values: number[];
}

/**
 * hermes' metrics as CloudWatch Embedded Metric Format through Powertools Metrics: namespace
 * `hermes`, dimensions `service` and `stage`, plus a metric's own labels. What an invocation
 * records is aggregated and written by {@link flush} (one EMF line per label set), so a broadcast
 * to a thousand connections writes three delivery lines, not a thousand.
 */
export class PowertoolsMetrics implements InvocationMetrics {
  private readonly series = new Map<string, Series>();

  constructor(
    stage: string,
    readonly delegate: PowertoolsBaseMetrics = new PowertoolsBaseMetrics({
      namespace: METRICS_NAMESPACE,
      serviceName: 'hermes',
      defaultDimensions: { stage },
    }),
  ) {}

  increment<N extends CounterName>(name: N, labels: CounterLabels[N], by = 1): void {
    const values = this.valuesOf(name, 'Count', labels);
    values[0] = (values[0] ?? 0) + by;
  }

  observe<N extends HistogramName>(name: N, seconds: number, labels?: HistogramLabels[N]): void {
    this.valuesOf(name, 'Seconds', labels ?? {}).push(seconds);
  }

  set<N extends GaugeName>(name: N, value: number, labels?: GaugeLabels[N]): void {
    this.valuesOf(name, 'Count', labels ?? {})[0] = value;
  }

  captureColdStart(functionName?: string): void {
    this.delegate.captureColdStartMetric(functionName);
  }

  flush(): void {
    let stored = false;
    for (const { name, unit, dimensions, values } of this.series.values()) {
      // A metric set has one set of dimensions: each label set is a metric set of its own, written at once;
      // unlabelled metrics share the invocation's metric set (repeated values become an EMF array).
      const labelled = Object.keys(dimensions).length > 0;
      for (const value of values)
        (labelled ? this.delegate.singleMetric().addDimensions(dimensions) : this.delegate).addMetric(name, unit, value);
      stored ||= !labelled;
    }
    this.series.clear();
    if (stored) this.delegate.publishStoredMetrics();
  }

  private valuesOf(name: string, unit: Unit, dimensions: Readonly<Record<string, string>>): number[] {
    const key = name + JSON.stringify(dimensions);
    const series = this.series.get(key) ?? { name, unit, dimensions, values: [] };
    this.series.set(key, series);
    return series.values;
  }
}
