import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type {
  CounterLabels,
  CounterName,
  GaugeLabels,
  GaugeName,
  HistogramLabels,
  HistogramName,
} from '../../application/shared/ports/Metrics.js';
import { COUNTERS, GAUGES, HISTOGRAMS } from './catalog.js';
import type { InvocationMetrics } from './InvocationMetrics.js';

/**
 * hermes' metrics in a prom-client registry of their own (with the process and Node.js default
 * metrics), for the standalone gateway's `GET /metrics`. `stage` is a label of every series.
 */
export class PromMetrics implements InvocationMetrics {
  readonly registry = new Registry();
  private readonly counters: Record<CounterName, Counter>;
  private readonly histograms: Record<HistogramName, Histogram>;
  private readonly gauges: Record<GaugeName, Gauge>;
  private readonly gaugeSources = new Map<GaugeName, () => number>();

  constructor(stage: string) {
    this.registry.setDefaultLabels({ stage });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.counters = mapValues(COUNTERS, (name, def) => new Counter({ name, help: def.help, labelNames: def.labels, registers }));
    this.histograms = mapValues(
      HISTOGRAMS,
      (name, def) => new Histogram({ name, help: def.help, labelNames: def.labels, buckets: [...def.buckets], registers }),
    );
    const sources = this.gaugeSources;
    this.gauges = mapValues(
      GAUGES,
      (name, def) =>
        new Gauge({
          name,
          help: def.help,
          labelNames: def.labels,
          registers,
          collect() {
            const source = sources.get(name);
            if (source) this.set(source());
          },
        }),
    );
  }

  increment<N extends CounterName>(name: N, labels: CounterLabels[N], by = 1): void {
    this.counters[name].inc(labels, by);
  }

  observe<N extends HistogramName>(name: N, seconds: number, labels?: HistogramLabels[N]): void {
    this.histograms[name].observe(labels ?? {}, seconds);
  }

  set<N extends GaugeName>(name: N, value: number, labels?: GaugeLabels[N]): void {
    this.gauges[name].set(labels ?? {}, value);
  }

  /** Reads an unlabelled gauge at each scrape (the gateway's open connections). */
  gaugeFrom(name: GaugeName, read: () => number): void {
    this.gaugeSources.set(name, read);
  }

  captureColdStart(): void {}

  flush(): void {}

  /** The Prometheus text exposition of every metric, and its content type. */
  async exposition(): Promise<{ readonly contentType: string; readonly body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

function mapValues<K extends string, D, R>(record: Readonly<Record<K, D>>, make: (key: K, value: D) => R): Record<K, R> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, make(key as K, value as D)])) as Record<K, R>;
}
