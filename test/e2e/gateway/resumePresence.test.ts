import { expect } from 'chai';
import WebSocket from 'ws';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { RegisterConnection } from '../../../src/application/notifications/usecases/RegisterConnection.js';
import { HermesClient, type HermesGap, type HermesNotification, type HermesResumed } from '../../../src/entrypoints/client/HermesClient.js';
import { eventually, startTestGateway, TEST_ADMIN_KEY, type TestGateway } from './support/gatewayHarness.js';

const HISTORY_SIZE = 5;

describe('local gateway: seq/epoch, resume, history and presence', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ envExtra: { HERMES_HISTORY_SIZE: String(HISTORY_SIZE), HERMES_PRESENCE_EVENTS: 'true' } });
  });
  after(() => gw.stop());

  const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
  const getJson = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${gw.url}/${gw.gateway.stage}${path}`, { headers: admin });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('numbers every notification of a room from 1 in one epoch, the other fields unchanged', async () => {
    const alice = await gw.connect('alice', 'numbered');
    await gw.publish('numbered', { type: 'info', data: 'one' });
    await gw.publish('numbered', { type: 'info', data: 'two' });
    alice.send({ action: 'sendMessage', type: 'info', data: 'three' });
    const messages = [await alice.next(), await alice.next(), await alice.next()];
    expect(messages.map((m) => m['seq'])).to.deep.equal([1, 2, 3]);
    expect(new Set(messages.map((m) => m['epoch'])).size).to.equal(1);
    expect(messages[0]).to.include.all.keys('id', 'type', 'room_id', 'user_id', 'sent_at', 'data', 'seq', 'epoch');
    expect(messages[2]).to.include({ room_id: 'numbered', user_id: 'alice', data: 'three', type: 'info' });
    await alice.close();
  });

  it('resume sends the notifications after since, as first sent, then resumed', async () => {
    const bob = await gw.connect('bob', 'resume');
    for (const data of ['a', 'b', 'c']) await gw.publish('resume', { type: 'info', data });
    const sent = [await bob.next(), await bob.next(), await bob.next()];
    const epoch = sent[0]?.['epoch'];
    bob.send({ action: 'resume', since: 1, epoch });
    const replayed = [await bob.next(), await bob.next()];
    expect(replayed).to.deep.equal(sent.slice(1));
    expect(await bob.next()).to.deep.equal({ type: 'resumed', room_id: 'resume', seq: 3, epoch });
    await bob.close();
  });

  it('sends a gap first when since is older than the room keeps, or the epoch differs', async () => {
    const carol = await gw.connect('carol', 'gappy');
    for (let i = 1; i <= HISTORY_SIZE + 3; i += 1) await gw.publish('gappy', { data: i });
    for (let i = 1; i <= HISTORY_SIZE + 3; i += 1) await carol.next();
    const epoch = (await getJson('/rooms/gappy/history')).body['epoch'];

    carol.send({ action: 'resume', since: 1, epoch });
    expect(await carol.next()).to.deep.equal({ type: 'gap', room_id: 'gappy', from: 2, to: 3, epoch });
    const kept = [];
    for (let i = 0; i < HISTORY_SIZE; i += 1) kept.push((await carol.next())['seq']);
    expect(kept).to.deep.equal([4, 5, 6, 7, 8]);
    expect(await carol.next()).to.deep.equal({ type: 'resumed', room_id: 'gappy', seq: 8, epoch });

    carol.send({ action: 'resume', since: 7, epoch: 'an-epoch-long-gone' });
    expect(await carol.next()).to.deep.equal({ type: 'gap', room_id: 'gappy', from: 1, to: 3, epoch });
    for (let i = 0; i < HISTORY_SIZE; i += 1) await carol.next((m) => typeof m['seq'] === 'number');
    expect(await carol.next()).to.include({ type: 'resumed', seq: 8 });
    await carol.close();
  });

  it('answers a resume it cannot parse with a 400 error reply', async () => {
    const dan = await gw.connect('dan', 'bad-resume');
    dan.send({ action: 'resume', since: -1 });
    expect(await dan.next()).to.have.nested.property('error.code', 'VALIDATION_FAILED');
    await dan.close();
  });

  it('GET /{stage}/rooms/{room_id}/history?since= gives backends the envelopes after since (admin key)', async () => {
    const eve = await gw.connect('eve', 'backend-read');
    for (const data of ['x', 'y']) await gw.publish('backend-read', { data });
    const seen = [await eve.next(), await eve.next()];
    const { status, body } = await getJson('/rooms/backend-read/history?since=1');
    expect(status).to.equal(200);
    expect(body).to.deep.equal({ room_id: 'backend-read', seq: 2, epoch: seen[0]?.['epoch'], gap: null, notifications: [seen[1]] });
    expect((await fetch(`${gw.url}/${gw.gateway.stage}/rooms/backend-read/history`)).status).to.equal(401);
    expect((await getJson('/rooms/backend-read/history?since=minus-one')).status).to.equal(400);
    await eve.close();
  });

  it('HermesClient resumes after the server drops it: each notification once, in seq order, gaps reported', async () => {
    const token = await gw.token('frank', 'client-resume');
    const client = new HermesClient({
      url: gw.websocketUrl,
      token,
      WebSocket: WebSocket,
      reconnect: { initialDelayMs: 300, maxDelayMs: 300 },
    });
    const received: HermesNotification[] = [];
    const resumes: HermesResumed[] = [];
    const gaps: HermesGap[] = [];
    client.subscribe('*', (_data, notification) => received.push(notification));
    client.onResumed((resumed) => resumes.push(resumed));
    client.onGap((gap) => gaps.push(gap));
    client.connect();
    await eventually(() => client.state === 'open' && resumes.length === 1, 5_000, 'open');
    await gw.publish('client-resume', { data: 0 });
    await eventually(() => received.length === 1, 5_000, 'first');

    const [id] = gw.gateway.websocket.connectionIds().filter((c) => gw.gateway.websocket.get(c)?.authorizer['user_id'] === 'frank');
    gw.gateway.websocket.get(id as string)?.close(1001, 'Going away');
    await eventually(() => client.state === 'reconnecting', 5_000, 'dropped');
    for (let i = 1; i <= 3; i += 1) await gw.publish('client-resume', { data: i });
    await eventually(() => resumes.length === 2, 10_000, 'resumed');
    expect(resumes[1]).to.include({ recovered: 3, reconnected: true, seq: 4 });
    expect(received.map((n) => n.data)).to.deep.equal([0, 1, 2, 3]);
    expect(received.map((n) => n.seq)).to.deep.equal([1, 2, 3, 4]);
    expect(gaps).to.deep.equal([]);
    client.close();
  });

  it('presence: the route and GET list who is in the room; join and leave are announced, a gone connection included', async () => {
    const grace = await gw.connect('grace', 'lounge');
    const heidi = await gw.connect('heidi', 'lounge');
    expect(await grace.next()).to.include({ type: 'presence.join', user_id: 'heidi', room_id: 'lounge' });
    const heidi2 = await gw.connect('heidi', 'lounge');
    heidi.send({ action: 'presence' });
    const presence = await heidi.next((m) => m['type'] === 'presence');
    expect(presence['room_id']).to.equal('lounge');
    const users = presence['users'] as Array<Record<string, unknown>>;
    expect(users.map((u) => [u['user_id'], u['connections']])).to.deep.equal([
      ['grace', 1],
      ['heidi', 2],
    ]);
    expect(Date.parse(users[0]?.['connected_at'] as string)).to.be.a('number').and.not.NaN;
    const { status, body } = await getJson('/rooms/lounge/presence');
    expect(status).to.equal(200);
    expect(body).to.deep.equal(presence);

    // Heidi's second connection closing is not a leave; her last one is.
    await heidi2.close();
    await heidi.close();
    expect(await grace.next((m) => m['type'] === 'presence.leave')).to.include({ user_id: 'heidi' });
    expect(grace.messages.filter((m) => m['type'] === 'presence.leave')).to.deep.equal([]);

    // A connection found gone by a broadcast leaves too (a crashed process left it registered).
    const register = gw.gateway.container.get<RegisterConnection>(NOTIFICATION_TOKENS.RegisterConnection);
    // Registered a minute ago: past the grace a connection still in `$connect` gets.
    await register.execute({
      connectionId: 'GhostConnection=',
      roomId: 'lounge',
      userId: 'ghost',
      connectedAt: new Date(Date.now() - 60_000),
    });
    expect(await grace.next((m) => m['type'] === 'presence.join')).to.include({ user_id: 'ghost' });
    await gw.publish('lounge', { data: 'anyone there?' });
    expect(await grace.next((m) => m['type'] === 'presence.leave')).to.include({ user_id: 'ghost' });
    await grace.close();
  });
});
