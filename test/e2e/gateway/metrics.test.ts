import { expect } from 'chai';
import { createVmRunMessage } from '../../../src/entrypoints/cli/commands/port.js';
import { parseSamples, sampleValue } from '../../support/prometheusText.js';
import { eventually, startTestGateway, TEST_ADMIN_KEY, type TestGateway } from './support/gatewayHarness.js';

/** Prometheus' text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/). */
const PROMETHEUS_TEXT = /^text\/plain; version=0\.0\.4/;

describe('GET /metrics (Prometheus, prom-client)', function () {
  this.timeout(20_000);
  let gw: TestGateway;

  before(async () => {
    gw = await startTestGateway({ envExtra: { HERMES_STAGE: 'metrics', PORT_ORG_ID: 'org_metrics' } });
  });
  after(async () => gw?.stop());

  async function scrape(): Promise<string> {
    const response = await fetch(`${gw.url}/metrics`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(PROMETHEUS_TEXT);
    return response.text();
  }

  it('exposes the process and Node.js default metrics and every hermes metric, labelled by stage', async () => {
    const text = await scrape();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text, name).to.match(new RegExp(`^${name}\\{`, 'm'));
    }
    for (const name of [
      'hermes_connections',
      'hermes_connects_total',
      'hermes_messages_received_total',
      'hermes_deliveries_total',
      'hermes_broadcast_duration_seconds',
      'hermes_queue_records_total',
      'hermes_runs_total',
      'hermes_port_api_requests_total',
      'hermes_run_duration_seconds',
      'hermes_kafka_consumer_lag',
    ]) {
      expect(text, name).to.include(`# TYPE ${name} `);
    }
    expect(text).to.include('# TYPE hermes_broadcast_duration_seconds histogram');
    expect(text).to.include('# TYPE hermes_connections gauge');
    for (const sample of parseSamples(text)) expect(sample.labels['stage'], sample.name).to.equal('metrics');
  });

  it('moves the connection, message, delivery and queue counters by what a broadcast did, with no room or user label', async () => {
    const before = await scrape();
    const alice = await gw.connect('alice', 'lobby');
    const bob = await gw.connect('bob', 'lobby');
    const carol = await gw.connect('carol', 'elsewhere');
    await eventually(async () => sampleValue(await scrape(), 'hermes_connections') === sampleValue(before, 'hermes_connections') + 3);

    alice.send({ action: 'sendMessage', type: 'info', data: 'hello' });
    await alice.next();
    await bob.next();
    expect((await gw.publish('lobby', { data: 'from the backend' })).status).to.equal(202);
    await alice.next();
    await bob.next();
    alice.send({ action: 'nope' });
    await alice.next((m) => m['error'] !== undefined || m['message'] !== undefined);

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}): number =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta('hermes_connects_total', { result: 'allowed' })).to.equal(3);
    expect(delta('hermes_connects_total', { result: 'denied' })).to.equal(0);
    expect(delta('hermes_messages_received_total', { route: 'sendMessage' })).to.equal(1);
    expect(delta('hermes_messages_received_total', { route: '$default' })).to.equal(1);
    // Two broadcasts to the two connections of lobby; carol's room got none.
    expect(delta('hermes_deliveries_total', { outcome: 'delivered' })).to.equal(4);
    expect(delta('hermes_deliveries_total', { outcome: 'gone' })).to.equal(0);
    expect(delta('hermes_broadcast_duration_seconds_count')).to.equal(2);
    expect(delta('hermes_queue_records_total', { result: 'delivered' })).to.equal(1);
    expect(sampleValue(after, 'hermes_connections')).to.equal(sampleValue(before, 'hermes_connections') + 3);
    for (const sample of parseSamples(after)) {
      expect(Object.keys(sample.labels), sample.name).to.not.include.members(['room_id', 'room', 'user_id', 'user', 'connection_id']);
      expect(Object.values(sample.labels), sample.name).to.not.include.members(['lobby', 'alice', 'bob']);
    }
    for (const client of [alice, bob, carol]) await client.close();
  });

  it('counts a denied connect', async () => {
    const before = sampleValue(await scrape(), 'hermes_connects_total', { result: 'denied' });
    await new Promise<void>((resolve) => {
      void import('ws').then(({ default: WebSocket }) => {
        const socket = new WebSocket(`${gw.websocketUrl}?token=not-a-token`);
        socket.on('unexpected-response', (_req, res) => {
          res.resume();
          socket.terminate();
          resolve();
        });
        socket.on('error', () => resolve());
      });
    });
    expect(sampleValue(await scrape(), 'hermes_connects_total', { result: 'denied' })).to.equal(before + 1);
  });

  it('moves the run, Port API and run-duration metrics by one simulated create_vm run', async () => {
    const before = await scrape();
    const response = await fetch(`${gw.url}/${gw.gateway.stage}/port/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(
        createVmRunMessage('r_metrics_1', 'org_metrics', { title: 'Metrics VM', cpu: 2, memory: 4, storage: 20, region: 'eu-west-1' }),
      ),
    });
    expect(response.status).to.equal(200);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}): number =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta('hermes_runs_total', { action: 'create_vm', status: 'SUCCESS' })).to.equal(1);
    expect(delta('hermes_runs_total')).to.equal(1);
    expect(delta('hermes_run_duration_seconds_count')).to.equal(1);
    expect(delta('hermes_port_api_requests_total', { operation: 'upsertEntity', status: 'ok' })).to.equal(1);
    expect(delta('hermes_port_api_requests_total')).to.be.greaterThanOrEqual(2);
  });
});
