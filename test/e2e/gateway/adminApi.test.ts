import { expect } from 'chai';
import { ENTRYPOINT_TOKENS } from '../../../src/entrypoints/di/tokens.js';
import type { InMemoryNotificationQueue } from '../../../src/adapters/memory/InMemoryNotificationQueue.js';
import { createVmRunMessage } from '../../../src/entrypoints/cli/commands/port.js';
import { eventually, startTestGateway, TEST_ADMIN_KEY, type TestGateway } from './support/gatewayHarness.js';

const ADMIN = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };

describe('admin API, /ready and /admin (memory profile)', function () {
  this.timeout(20_000);
  let gw: TestGateway;
  let queue: InMemoryNotificationQueue;

  before(async () => {
    // No event source: dead letters are made by hand and stay where the test puts them.
    gw = await startTestGateway({ eventSource: false, envExtra: { PORT_ORG_ID: 'org_admin' } });
    queue = gw.gateway.container.get<InMemoryNotificationQueue>(ENTRYPOINT_TOKENS.InMemoryNotificationQueue);
  });
  after(async () => gw?.stop());

  const api = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${gw.url}/local${path}`, { ...init, headers: { ...ADMIN, ...init.headers } });

  /** A message received `times` times without being handled: the queue dead-letters it on the next receive. */
  async function deadLetter(body: string): Promise<string> {
    const id = queue.enqueue(body);
    for (let i = 0; i < 5; i += 1) {
      for (const message of await queue.receive(10)) queue.release(message.receiptHandle);
    }
    await queue.receive(10);
    return id;
  }

  it('guards every admin endpoint with the admin key', async () => {
    const endpoints: Array<[string, string]> = [
      ['GET', '/admin/rooms'],
      ['GET', '/admin/runs'],
      ['GET', '/admin/activity'],
      ['GET', '/admin/dead-letters'],
      ['POST', '/admin/dead-letters/x/redrive'],
      ['POST', '/admin/dead-letters/x/discard'],
    ];
    for (const [method, path] of endpoints) {
      const anonymous = await fetch(`${gw.url}/local${path}`, { method });
      expect(anonymous.status, `${method} ${path}`).to.equal(401);
      const wrong = await fetch(`${gw.url}/local${path}`, { method, headers: { authorization: 'Bearer not-the-key-0123456789' } });
      expect(wrong.status, `${method} ${path}`).to.equal(401);
    }
  });

  it('serves the console page without the key (the page asks for it)', async () => {
    const page = await fetch(`${gw.url}/admin`);
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    const html = await page.text();
    expect(html).to.include('data-stage="local"');
    expect(html).to.include('sessionStorage');
    expect(html).to.not.include(TEST_ADMIN_KEY);
  });

  it('lists live rooms with their connection and user counts', async () => {
    const clients = [
      await gw.connect('alice', 'ops'),
      await gw.connect('alice', 'ops'),
      await gw.connect('bob', 'ops'),
      await gw.connect('carol', 'sales'),
    ];
    const body = (await (await api('/admin/rooms')).json()) as { rooms: unknown[]; connections: number };
    expect(body.rooms).to.deep.equal([
      { room_id: 'ops', connections: 3, users: 2 },
      { room_id: 'sales', connections: 1, users: 1 },
    ]);
    expect(body.connections).to.equal(4);
    for (const client of clients) await client.close();
    await eventually(async () => ((await (await api('/admin/rooms')).json()) as { rooms: unknown[] }).rooms.length === 0);
  });

  it('lists recent runs, newest first, with their status', async () => {
    for (const runId of ['r_admin_1', 'r_admin_2']) {
      const response = await fetch(`${gw.url}/local/port/runs`, {
        method: 'POST',
        headers: ADMIN,
        body: JSON.stringify(
          createVmRunMessage(runId, 'org_admin', { title: `VM ${runId}`, cpu: 1, memory: 1, storage: 10, region: 'eu-west-1' }),
        ),
      });
      expect(response.status).to.equal(200);
    }
    const { runs } = (await (await api('/admin/runs')).json()) as { runs: Array<Record<string, unknown>> };
    expect(runs.map((run) => [run['runId'], run['action'], run['status']])).to.deep.equal([
      ['r_admin_2', 'create_vm', 'SUCCESS'],
      ['r_admin_1', 'create_vm', 'SUCCESS'],
    ]);
    expect(runs[0]?.['updatedAt']).to.be.a('string');
  });

  it('gives per-second activity over the last five minutes', async () => {
    const client = await gw.connect('dave', 'ops');
    client.send({ action: 'sendMessage', data: 'hi' });
    await client.next();
    const activity = (await (await api('/admin/activity')).json()) as Record<string, number[]>;
    for (const series of ['seconds', 'messagesIn', 'deliveries', 'gone']) expect(activity[series], series).to.have.lengthOf(300);
    const sum = (values: number[] | undefined): number => (values ?? []).reduce((a, b) => a + b, 0);
    expect(sum(activity['messagesIn'])).to.be.greaterThanOrEqual(1);
    expect(sum(activity['deliveries'])).to.be.greaterThanOrEqual(1);
    expect(activity['seconds']?.at(-1)).to.be.closeTo(Math.floor(Date.now() / 1000), 2);
    await client.close();
  });

  it('lists dead letters, redrives one back to the queue and discards another', async () => {
    // What earlier tests queued (the run notifications), out of the way.
    for (const message of await queue.receive(100)) queue.delete(message.receiptHandle);
    const redriven = await deadLetter('{"room_id":"ops","data":"again"}');
    const discarded = await deadLetter('{"room_id":"ops","data":"never"}');
    const { deadLetters } = (await (await api('/admin/dead-letters')).json()) as { deadLetters: Array<Record<string, unknown>> };
    expect(deadLetters.map((d) => [d['id'], d['body'], d['receiveCount']])).to.deep.equal([
      [redriven, '{"room_id":"ops","data":"again"}', 5],
      [discarded, '{"room_id":"ops","data":"never"}', 5],
    ]);

    const redrive = await api(`/admin/dead-letters/${redriven}/redrive`, { method: 'POST' });
    expect(redrive.status).to.equal(200);
    expect(await redrive.json()).to.deep.equal({ id: redriven, redriven: true });
    const discard = await api(`/admin/dead-letters/${discarded}/discard`, { method: 'POST' });
    expect(await discard.json()).to.deep.equal({ id: discarded, discarded: true });

    expect(((await (await api('/admin/dead-letters')).json()) as { deadLetters: unknown[] }).deadLetters).to.deep.equal([]);
    // Back in the queue with a fresh receive count; the discarded one is gone for good.
    const [again, ...rest] = await queue.receive(10);
    expect(rest).to.deep.equal([]);
    expect(again).to.include({ messageId: redriven, receiveCount: 1 });

    const unknown = await api(`/admin/dead-letters/${discarded}/redrive`, { method: 'POST' });
    expect(unknown.status).to.equal(404);
    expect(await unknown.json()).to.have.nested.property('error.code', 'DEAD_LETTER_NOT_FOUND');
  });

  it('is ready at once in memory (no adapter to wait for); /health stays liveness', async () => {
    const ready = await fetch(`${gw.url}/ready`);
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.equal({ status: 'ready', failing: [], checks: {} });
    const health = await fetch(`${gw.url}/health`);
    expect(health.status).to.equal(200);
    expect(await health.json()).to.include({ status: 'ok' });
  });
});
