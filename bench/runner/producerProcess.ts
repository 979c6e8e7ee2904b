import { KafkaRunProducer } from '../../src/adapters/kafka/KafkaRunProducer.js';
import type { Logger } from '../../src/application/shared/ports/Logger.js';
import { benchRunMessage, type BenchRun } from './benchRunMessage.js';

/**
 * The bench's Kafka producer in its own process, as Port's producer is remote: producing 1,000
 * messages (encoding, partitioning, the broker round trips) is not hermes's CPU and must not be
 * counted in the runner's process. Driven over IPC by bench/runner/remoteProducer.ts.
 */
type Request =
  | {
      readonly id: number;
      readonly type: 'send';
      readonly topic: string;
      readonly runs: readonly BenchRun[];
    }
  | { readonly id: number; readonly type: 'stop' };

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const brokers = (process.argv[2] ?? '').split(',');
const producer = new KafkaRunProducer({ brokers, clientId: 'bench-producer', ssl: false }, silent);
await producer.connect();

process.on('message', (raw) => {
  const request = raw as Request;
  if (request.type === 'stop') {
    void producer.disconnect().finally(() => process.exit(0));
    return;
  }
  const sentAt = Date.now();
  const messages = request.runs.map((run) => ({
    key: run.runId,
    value: benchRunMessage(run),
    ...(run.partition !== undefined && { partition: run.partition }),
  }));
  producer.send(request.topic, messages).then(
    () => process.send?.({ id: request.id, sentAt }),
    (error: unknown) => process.send?.({ id: request.id, error: String(error) }),
  );
});

process.send?.({ ready: true });
