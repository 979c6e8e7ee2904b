import { errorMessage } from '../../src/domain/shared/HermesError.js';
import { Kafka, logLevel, type Consumer } from 'kafkajs';

export interface BaselineOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly groupId: string;
  /** PORT_API_URL with /v1. */
  readonly apiUrl: string;
  readonly credentials: { readonly clientId: string; readonly clientSecret: string };
  readonly consumerTuning: { sessionTimeout: number; heartbeatInterval: number; maxWaitTimeInMs: number };
  /** `literal` (default): the tutorial's two calls per run (entity, status); `same-work`: hermes's four. */
  readonly calls?: 'same-work' | 'literal';
}

/**
 * A runner built the tutorial's way, in TypeScript: one message at a time (kafkajs defaults, one
 * partition after another), calls made one after the other, and a fresh Port token requested before
 * every API call. By default (`literal`) it makes the tutorial's two Port calls per run (entity
 * upsert, status: 2,000 token requests per 1,000 runs); `same-work` makes hermes's four (a
 * "received" log, the handler's log, the entity upsert, the status), to compare the same work.
 */
export class TutorialBaseline {
  private consumer: Consumer | undefined;

  constructor(private readonly options: BaselineOptions) {}

  async start(onJoined: () => void): Promise<void> {
    const { options } = this;
    const kafka = new Kafka({ clientId: 'tutorial-baseline', brokers: [...options.brokers], logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: options.groupId, ...options.consumerTuning });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => onJoined());
    await consumer.connect();
    await consumer.subscribe({ topics: [options.topic], fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        try {
          const run = JSON.parse(message.value?.toString() ?? '') as {
            context: { runId: string };
            payload: { action: { trigger: string }; properties: Record<string, unknown> };
          };
          if (run.payload.action.trigger !== 'CREATE') return;
          await this.handle(run.context.runId, run.payload.properties);
        } catch (error) {
          // The tutorial prints the error and moves on.
          console.error('baseline: run failed', errorMessage(error));
        }
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  private async handle(runId: string, props: Record<string, unknown>): Promise<void> {
    const title = String(props['title']);
    const identifier = title.replace(/ /g, '-').toLowerCase();
    if (this.options.calls === 'same-work') {
      await this.call('POST', `/actions/runs/${runId}/logs`, { message: `received run ${runId}` });
      await this.call('POST', `/actions/runs/${runId}/logs`, { message: `Creating vm entity "${identifier}"` });
    }
    const status = await this.call('POST', `/blueprints/vm/entities?upsert=true&run_id=${runId}`, {
      identifier,
      title,
      properties: {
        cpu_cores: props['cpu'],
        memory_size: props['memory'],
        storage_size: props['storage'],
        region: props['region'],
        deployed: 'Deploying',
      },
    });
    const runStatus = status >= 200 && status < 300 ? 'SUCCESS' : 'FAILURE';
    await this.call('PATCH', `/actions/runs/${runId}`, { status: runStatus, message: { message: `The action status is ${runStatus}` } });
  }

  /** get_port_api_token() then the call, as the tutorial's report_to_port / report_action_status do. */
  private async call(method: string, path: string, body: unknown): Promise<number> {
    const tokenResponse = await fetch(`${this.options.apiUrl}/auth/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(this.options.credentials),
    });
    const { accessToken } = (await tokenResponse.json()) as { accessToken: string };
    const response = await fetch(`${this.options.apiUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify(body),
    });
    await response.text();
    return response.status;
  }
}
