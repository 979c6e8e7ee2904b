/**
 * hermes' one metric vocabulary (Prometheus conventions: base units, `_total` for counters), the
 * same on every runtime: Prometheus text on the standalone gateway, CloudWatch EMF on Lambda.
 * Labels are bounded sets: never a room, user or connection id.
 */

/** Counters and the labels each one takes. */
export interface CounterLabels {
  /** A WebSocket connect attempt, by the authorizer's answer. */
  readonly hermes_connects_total: { readonly result: 'allowed' | 'denied' | 'error' };
  /** A message a client sent, by the route it took (`sendMessage`, `$default`). */
  readonly hermes_messages_received_total: { readonly route: string };
  /** A notification posted to one connection, by outcome (`gone`: API Gateway's 410). */
  readonly hermes_deliveries_total: { readonly outcome: 'delivered' | 'gone' | 'failed' };
  /** A queued notification record handled by the `queue` function. */
  readonly hermes_queue_records_total: { readonly result: 'delivered' | 'retried' | 'dead_lettered' };
  /** A Port run that ended, by action identifier and final status. */
  readonly hermes_runs_total: { readonly action: string; readonly status: string };
  /** A call to Port's REST API, by operation and HTTP status (`ok` when it succeeded, `error` when no status was received). */
  readonly hermes_port_api_requests_total: { readonly operation: string; readonly status: string };
}

/** Histograms (seconds). */
export interface HistogramLabels {
  /** One notification's fan-out to its whole room. */
  readonly hermes_broadcast_duration_seconds: Record<string, never>;
  /** A Port run, from its handler's start to its reported outcome. */
  readonly hermes_run_duration_seconds: Record<string, never>;
}

/** Gauges. */
export interface GaugeLabels {
  /** Open WebSocket connections (the stage is a label or dimension of every metric). */
  readonly hermes_connections: Record<string, never>;
  /** Records of a partition not yet consumed by the kafkajs consumer. */
  readonly hermes_kafka_consumer_lag: { readonly topic: string; readonly partition: string };
}

export type CounterName = keyof CounterLabels;
export type HistogramName = keyof HistogramLabels;
export type GaugeName = keyof GaugeLabels;

/** Records hermes' metrics. Never throws: a metric is never worth failing a request. */
export interface Metrics {
  increment<N extends CounterName>(name: N, labels: CounterLabels[N], by?: number): void;
  observe<N extends HistogramName>(name: N, seconds: number, labels?: HistogramLabels[N]): void;
  set<N extends GaugeName>(name: N, value: number, labels?: GaugeLabels[N]): void;
}
