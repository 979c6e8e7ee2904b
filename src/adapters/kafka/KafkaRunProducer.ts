import { Partitioners, type Producer } from 'kafkajs';
import type { Logger } from '../../application/shared/ports/Logger.js';
import { createKafka, type KafkaConnectionSettings } from './createKafka.js';

/** Writes run messages to a topic (`hermes port simulate`, tests, the benchmark). */
export class KafkaRunProducer {
  private producer: Producer | undefined;

  constructor(
    private readonly connection: KafkaConnectionSettings,
    private readonly logger: Logger,
  ) {}

  async connect(): Promise<void> {
    const kafka = await createKafka(this.connection, this.logger);
    // Not idempotent: it needs no controller (some test brokers have none); `acks: -1` still waits for the replicas.
    const producer = kafka.producer({ allowAutoTopicCreation: true, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    this.producer = producer;
  }

  /** Sends messages keyed by run id (runs of one key stay in order in one partition); resolves with where they landed. */
  async send(
    topic: string,
    /** `partition` pins a message (tests, the benchmark); otherwise the key picks it. */
    messages: ReadonlyArray<{ readonly key: string; readonly value: string; readonly partition?: number }>,
  ): Promise<Array<{ readonly partition: number; readonly baseOffset: string | undefined }>> {
    if (this.producer === undefined) throw new Error('KafkaRunProducer: call connect() first');
    const metadata = await this.producer.send({ topic, acks: -1, messages: messages.map((message) => ({ ...message })) });
    return metadata.map((entry) => ({ partition: entry.partition, baseOffset: entry.baseOffset }));
  }

  async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect();
  }
}
