import { expect } from 'chai';
import type { InMemoryPortApi } from '../../../src/adapters/port/InMemoryPortApi.js';
import { portCommand } from '../../../src/entrypoints/cli/commands/port.js';
import { PORT_RUNNER_TOKENS } from '../../../src/entrypoints/di/portRunnerModule.js';
import { startGateway, type RunningGateway } from '../../../src/entrypoints/standalone/startGateway.js';
import { kafkaMockCluster, uniqueName } from '../../support/services/index.js';
import { sampleValue } from '../../support/prometheusText.js';

async function until(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the kafkajs runner: /ready waits for the consumer, /metrics has its lag', function () {
  this.timeout(60_000);
  let gateway: RunningGateway | undefined;
  afterEach(async () => gateway?.stop());

  it('is not ready until the consumer joined; records the lag of the partition it consumed', async function () {
    const { brokers } = await kafkaMockCluster();
    const topic = uniqueName('org_obs.runs');
    const env = {
      HERMES_PORT: '0',
      HERMES_ADMIN_KEY: 'observability-admin-key-0123456789',
      BCRYPT_COST: '4',
      PORT_ORG_ID: 'org_obs',
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_RUNS_TOPIC: topic,
      KAFKA_CONSUMER_GROUP_NAME: uniqueName('org_obs.hermes'),
    };
    gateway = await startGateway({ profile: 'memory', env });
    const url = gateway.url;
    const ready = async (): Promise<{ status: number; body: { failing: string[]; checks: Record<string, { error?: string }> } }> => {
      const response = await fetch(`${url}/ready`);
      return { status: response.status, body: (await response.json()) as never };
    };
    const first = await ready();
    if (first.status === 503) {
      expect(first.body.failing).to.deep.equal(['kafka']);
      expect(first.body.checks['kafka']?.error).to.match(/the Kafka consumer (is|has not)/);
    }
    await until('ready', async () => (await ready()).status === 200);

    const io = { stdout: () => undefined, stderr: () => undefined, env };
    const args = [
      'simulate',
      'create_vm',
      '--run-id',
      'run_obs_1',
      '--cpu',
      '1',
      '--memory',
      '2',
      '--storage',
      '8',
      '--region',
      'eu-west-2',
    ];
    expect(await portCommand.run(args, io)).to.equal(0);
    const port = gateway.container.get<InMemoryPortApi>(PORT_RUNNER_TOKENS.PortAdapter);
    await until('the run reported', () => port.runs.get('run_obs_1')?.status === 'SUCCESS');

    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).to.match(
      new RegExp(`^hermes_kafka_consumer_lag\\{topic="${topic.replace(/\./g, '\\.')}",partition="\\d+",stage="local"\\} 0$`, 'm'),
    );
    expect(sampleValue(text, 'hermes_runs_total', { action: 'create_vm', status: 'SUCCESS' })).to.equal(1);
  });
});
