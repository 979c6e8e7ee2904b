import type { CounterName, GaugeName, HistogramName } from '../../application/shared/ports/Metrics.js';

export interface MetricDefinition {
  readonly help: string;
  /** Label names, in the order Prometheus prints them. */
  readonly labels: readonly string[];
}

/** Help text and labels of every counter (one catalogue for every adapter). */
export const COUNTERS: Readonly<Record<CounterName, MetricDefinition>> = {
  hermes_connects_total: { help: 'WebSocket connect attempts, by authorizer result', labels: ['result'] },
  hermes_messages_received_total: { help: 'Messages received from clients, by route', labels: ['route'] },
  hermes_deliveries_total: { help: 'Notifications posted to one connection, by outcome (gone = HTTP 410)', labels: ['outcome'] },
  hermes_queue_records_total: { help: 'Queued notification records handled, by result', labels: ['result'] },
  hermes_runs_total: { help: 'Port action runs ended, by action and status', labels: ['action', 'status'] },
  hermes_port_api_requests_total: { help: "Calls to Port's REST API, by operation and HTTP status", labels: ['operation', 'status'] },
};

export const HISTOGRAMS: Readonly<Record<HistogramName, MetricDefinition & { readonly buckets: readonly number[] }>> = {
  hermes_broadcast_duration_seconds: {
    help: "One notification's fan-out to its room",
    labels: [],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  hermes_run_duration_seconds: {
    help: "A Port run, from its handler's start to its reported outcome",
    labels: [],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  },
};

export const GAUGES: Readonly<Record<GaugeName, MetricDefinition>> = {
  hermes_connections: { help: 'Open WebSocket connections', labels: [] },
  hermes_kafka_consumer_lag: { help: 'Records of a partition not yet consumed (kafkajs consumer)', labels: ['topic', 'partition'] },
};
