import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ConsumerConfig } from 'kafkajs';
import { describeExit, spawnManaged, type ManagedProcess } from './managedProcess.js';
import { sharedService } from './sharedServices.js';

/**
 * librdkafka's built-in mock cluster, hosted by a long-running `kcat` consumer.
 * It binds 127.0.0.1 on random ports, auto-creates topics (4 partitions) on
 * metadata requests and supports consumer groups and offset commits. It reports
 * a controller id (0) that is not one of its brokers, so every kafkajs call that
 * needs the controller fails with KafkaJSBrokerNotFound: admin createTopics /
 * deleteTopics and idempotent or transactional producers.
 */
export interface KafkaMockCluster {
  /** e.g. ['127.0.0.1:41234', '127.0.0.1:41235', '127.0.0.1:41236'] */
  readonly brokers: string[];
  stop(): Promise<void>;
}

/**
 * kafkajs consumer settings that keep group joins short on the mock: the first
 * join of a group always waits 3 s (the mock's initial rebalance delay), and a
 * join after the last member left waits sessionTimeout - 1 s.
 */
export const MOCK_CONSUMER_TUNING = {
  sessionTimeout: 3_000,
  heartbeatInterval: 300,
  maxWaitTimeInMs: 100,
} as const satisfies Partial<ConsumerConfig>;

const BROKER_COUNT = 3;
const BOOTSTRAP_TIMEOUT_MS = 10_000;
// The topic kcat consumes to stay alive; it shows up in the mock's metadata.
const KEEPALIVE_TOPIC = '__kcat_mock_keepalive';
// Only a complete line counts, so a chunk boundary cannot cut the list short.
const BOOTSTRAP_PATTERN = /(?:bootstrap\.servers=|replaced with )(\S+)\r?\n/;

/** The mock Kafka cluster shared by the whole mocha run (started on first use). */
export function kafkaMockCluster(): Promise<KafkaMockCluster> {
  return sharedService('kafka-mock-cluster', startKafkaMockCluster);
}

export async function startKafkaMockCluster(): Promise<KafkaMockCluster> {
  const kcatPath = findKcat();
  // -b is required by kcat but ignored once the mock cluster is enabled.
  const kcat = spawnManaged(kcatPath, [
    '-b',
    '127.0.0.1:9',
    '-X',
    `test.mock.num.brokers=${BROKER_COUNT}`,
    '-q',
    '-C',
    '-t',
    KEEPALIVE_TOPIC,
    '-o',
    'end',
  ]);
  try {
    const brokers = await bootstrapServers(kcat);
    return { brokers, stop: () => kcat.stop() };
  } catch (error) {
    await kcat.stop();
    throw error;
  }
}

function findKcat(): string {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean);
  for (const dir of [...dirs, '/usr/bin']) {
    for (const name of ['kcat', 'kafkacat']) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error('kcat not found on PATH: the Kafka mock cluster needs it (`apt-get install -y kcat`).');
}

function bootstrapServers(kcat: ManagedProcess): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      reject(new Error(`kcat printed no mock bootstrap.servers within ${BOOTSTRAP_TIMEOUT_MS} ms:\n${kcat.outputTail()}`));
    }, BOOTSTRAP_TIMEOUT_MS);
    kcat.onOutput((text) => {
      seen = (seen + text).slice(-4_000);
      const match = BOOTSTRAP_PATTERN.exec(seen);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve(match[1].split(','));
    });
    void kcat.exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`kcat ${describeExit(exit)} before the mock cluster was up:\n${kcat.outputTail()}`));
    });
  });
}
