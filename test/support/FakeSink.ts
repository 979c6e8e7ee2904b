import type { DeliveryOutcome } from '../../src/application/notifications/ports/ConnectionNotifier.js';
import type { LocalConnectionSink } from '../../src/adapters/memory/LocalConnectionRegistry.js';

/** A connection stand-in that records what it receives and answers as told. */
export class FakeSink implements LocalConnectionSink {
  readonly received: string[] = [];

  constructor(private readonly behaviour: () => Promise<DeliveryOutcome> = async () => ({ status: 'delivered' })) {}

  async deliver(payload: string): Promise<DeliveryOutcome> {
    const outcome = await this.behaviour();
    if (outcome.status === 'delivered') this.received.push(payload);
    return outcome;
  }

  /** Received payloads, parsed. */
  get messages(): Array<Record<string, unknown>> {
    return this.received.map((p) => JSON.parse(p) as Record<string, unknown>);
  }
}
