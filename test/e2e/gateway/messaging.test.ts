import { expect } from 'chai';
import { startTestGateway, type TestClient, type TestGateway } from './support/gatewayHarness.js';

describe('local gateway: messages and routes', () => {
  let gw: TestGateway;
  let alice: TestClient;
  let bob: TestClient;
  let carol: TestClient;

  before(async () => {
    gw = await startTestGateway();
    [alice, bob, carol] = await Promise.all([gw.connect('alice', 'acme'), gw.connect('bob', 'acme'), gw.connect('carol', 'globex')]);
  });
  after(async () => {
    await Promise.all([alice, bob, carol].map((c) => c.close()));
    await gw.stop();
  });

  const isNotification = (m: Record<string, unknown>): boolean => typeof m['room_id'] === 'string';

  it('sendMessage reaches every connection of the sender room, and only that room', async () => {
    alice.send({ action: 'sendMessage', type: 'info', data: 'hello acme' });
    const [toAlice, toBob] = await Promise.all([alice.next(isNotification), bob.next(isNotification)]);
    for (const message of [toAlice, toBob]) {
      expect(message).to.include({ type: 'info', room_id: 'acme', user_id: 'alice', data: 'hello acme' });
    }
    // Carol's next notification is one of her own room's: the acme message never reached her.
    carol.send({ action: 'sendMessage', data: 'hello globex' });
    expect(await carol.next(isNotification)).to.include({ room_id: 'globex', user_id: 'carol', data: 'hello globex' });
    expect(carol.messages.filter(isNotification)).to.deep.equal([]);
  });

  it('takes room and sender from the authorizer context, never from the message', async () => {
    alice.send({ action: 'sendMessage', room_id: 'globex', user_id: 'mallory', data: 'spoof' });
    expect(await bob.next(isNotification)).to.include({ room_id: 'acme', user_id: 'alice', data: 'spoof' });
    await alice.next(isNotification);
    carol.send({ action: 'sendMessage', data: 'marker' });
    expect(await carol.next(isNotification)).to.include({ data: 'marker' });
  });

  it('answers an unknown action through $default, naming the known actions, to the sender only', async () => {
    alice.send({ action: 'shout', data: 'x' });
    const reply = await alice.next((m) => m['error'] !== undefined);
    expect(reply).to.deep.equal({
      error: {
        code: 'UNKNOWN_ACTION',
        message: 'unknown action "shout"; known actions: sendMessage, resume, presence',
        known_actions: ['sendMessage', 'resume', 'presence'],
      },
    });
    alice.send({ action: 'sendMessage', data: 'after' });
    expect(await bob.next()).to.include({ data: 'after' });
    await alice.next(isNotification);
  });

  it('routes a message that is not JSON to $default', async () => {
    alice.send('plain text');
    expect(await alice.next((m) => m['error'] !== undefined)).to.have.nested.property('error.code', 'UNKNOWN_ACTION');
  });

  it('answers a sendMessage without data with a 400-style error', async () => {
    alice.send({ action: 'sendMessage' });
    expect(await alice.next((m) => m['error'] !== undefined)).to.deep.include({
      error: { code: 'VALIDATION_FAILED', message: 'data: is required' },
    });
  });

  it('delivers a backend publish over HTTP to the room only', async () => {
    const response = await gw.publish('acme', { type: 'warning', data: { text: 'backup failed' } });
    expect(response.status).to.equal(202);
    const { id } = (await response.json()) as { id: string };
    for (const client of [alice, bob]) {
      expect(await client.next(isNotification)).to.deep.include({
        id,
        type: 'warning',
        room_id: 'acme',
        user_id: null,
        data: { text: 'backup failed' },
      });
    }
    await gw.publish('globex', { data: 'globex only' });
    expect(await carol.next(isNotification)).to.include({ data: 'globex only' });
  });

  it('takes the type from the seed-style payload {type, data}', async () => {
    await gw.publish('acme', { data: { type: 'danger', data: 'disk full' } });
    expect(await alice.next(isNotification)).to.include({ type: 'danger' });
    await bob.next(isNotification);
  });
});

describe('local gateway: backend HTTP endpoints', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.stop());

  const post = (path: string, body: unknown, key?: string): Promise<Response> =>
    fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  for (const path of ['/local/tokens', '/local/rooms/acme/messages']) {
    it(`refuses ${path} without the admin key, or with a wrong one (401)`, async () => {
      for (const key of [undefined, 'wrong-key-0123456789']) {
        const response = await post(path, { user_id: 'a', room_id: 'b', data: 'x' }, key);
        expect(response.status).to.equal(401);
        expect(response.headers.get('www-authenticate')).to.match(/^Bearer/);
      }
    });
  }

  it('issues a token with its expiry and the WebSocket URL', async () => {
    const response = await post('/local/tokens', { user_id: 'alice', room_id: 'acme' }, gw.gateway.adminKey);
    expect(response.status).to.equal(201);
    const body = (await response.json()) as Record<string, string>;
    expect(body['token']).to.match(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(new Date(body['expires_at'] as string).getTime()).to.be.greaterThan(Date.now());
    expect(body['websocket_url']).to.equal(gw.websocketUrl);
  });

  it('answers 400 naming the field for invalid input, and for a body that is not JSON', async () => {
    const invalid = await post('/local/tokens', { user_id: 'alice', room_id: 'bad room!' }, gw.gateway.adminKey);
    expect(invalid.status).to.equal(400);
    expect(await invalid.json()).to.have.nested.property('error.code', 'VALIDATION_FAILED');
    const garbage = await post('/local/rooms/acme/messages', '{not json', gw.gateway.adminKey);
    expect(garbage.status).to.equal(400);
    const missing = await post('/local/rooms/acme/messages', { type: 'info' }, gw.gateway.adminKey);
    expect(await missing.json()).to.deep.equal({ error: { code: 'VALIDATION_FAILED', message: 'data: is required' } });
  });

  it('answers 413 for a notification over 128 KB', async () => {
    const response = await post('/local/rooms/acme/messages', { data: 'x'.repeat(140 * 1024) }, gw.gateway.adminKey);
    expect(response.status).to.equal(413);
  });

  it('answers 404 and 405 as JSON', async () => {
    expect((await fetch(`${gw.url}/nowhere`)).status).to.equal(404);
    expect((await fetch(`${gw.url}/local/tokens`)).status).to.equal(405);
  });

  it('serves the demo token endpoint only in the memory profile, without the key', async () => {
    const response = await post('/local/demo/tokens', { user_id: 'alice', room_id: 'acme' });
    expect(response.status).to.equal(201);
  });
});
