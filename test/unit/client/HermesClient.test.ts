import { expect } from 'chai';
import { type ConnectionState, HermesClient, type HermesErrorReply, type Timers } from '../../../src/entrypoints/client/HermesClient.js';

/** A scriptable WebSocket: the test opens, feeds and closes it. */
class FakeSocket {
  static instances: FakeSocket[] = [];
  readyState = 0;
  readonly sent: string[] = [];
  closedWith: [number | undefined, string | undefined] | undefined;
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    this.closedWith = [code, reason];
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: unknown): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

/** Timers the test fires by hand. */
class ManualTimers implements Timers {
  readonly pending: Array<{ ms: number; callback: () => void; cancelled: boolean }> = [];
  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { ms, callback, cancelled: false };
    this.pending.push(timer);
    return timer;
  }
  clearTimeout(handle: unknown): void {
    (handle as { cancelled: boolean }).cancelled = true;
  }
  fireNext(): number {
    const timer = this.pending.shift();
    if (!timer) throw new Error('no timer pending');
    if (!timer.cancelled) timer.callback();
    return timer.ms;
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const notification = (type: string, data: unknown) => ({ id: 'n1', type, room_id: 'acme', user_id: 'alice', sent_at: '2026-01-01T00:00:00.000Z', data });

describe('HermesClient', () => {
  let timers: ManualTimers;
  beforeEach(() => {
    FakeSocket.instances = [];
    timers = new ManualTimers();
  });

  function make(options: Partial<ConstructorParameters<typeof HermesClient>[0]> = {}): HermesClient {
    return new HermesClient({
      url: 'ws://gw.example/local',
      token: 'a.b+c/d',
      WebSocket: FakeSocket,
      timers,
      random: () => 0.5,
      reconnect: { initialDelayMs: 100, maxDelayMs: 1_000, factor: 2 },
      ...options,
    });
  }

  async function connected(client: HermesClient): Promise<FakeSocket> {
    client.connect();
    await flush();
    const socket = FakeSocket.instances.at(-1) as FakeSocket;
    socket.open();
    return socket;
  }

  it('connects to the stage URL with the token URL-encoded, reporting connecting then open', async () => {
    const client = make();
    const states: ConnectionState[] = [];
    client.onStateChange((state) => states.push(state));
    await connected(client);
    expect(FakeSocket.instances.map((s) => s.url)).to.deep.equal(['ws://gw.example/local?token=a.b%2Bc%2Fd']);
    expect(states).to.deep.equal(['connecting', 'open']);
    expect(client.state).to.equal('open');
  });

  it('dispatches notifications to the subscribers of their type, and to "*"', async () => {
    const client = make();
    const socket = await connected(client);
    const got: Array<[string, unknown]> = [];
    client.subscribe('info', (data) => got.push(['info', data]));
    client.subscribe('warning', (data) => got.push(['warning', data]));
    client.subscribe('*', (_data, n) => got.push(['*', n.type]));
    const unsubscribe = client.subscribe('danger', (data) => got.push(['danger', data]));
    unsubscribe();
    socket.receive(notification('info', 'one'));
    socket.receive(notification('danger', 'two'));
    socket.receive('not json');
    socket.receive({ unrelated: true });
    expect(got).to.deep.equal([
      ['info', 'one'],
      ['*', 'info'],
      ['*', 'danger'],
    ]);
  });

  it('reports error replies and API Gateway\'s "Internal server error" to error listeners', async () => {
    const client = make();
    const socket = await connected(client);
    const errors: HermesErrorReply[] = [];
    client.onError((error) => errors.push(error));
    socket.receive({ error: { code: 'UNKNOWN_ACTION', message: 'unknown action', known_actions: ['sendMessage'] } });
    socket.receive({ message: 'Internal server error', connectionId: 'x', requestId: 'y' });
    expect(errors).to.deep.equal([
      { code: 'UNKNOWN_ACTION', message: 'unknown action', known_actions: ['sendMessage'] },
      { code: 'GATEWAY_ERROR', message: 'Internal server error' },
    ]);
  });

  it('sends {action: "sendMessage", type, data}, and refuses to send when not open', async () => {
    const client = make();
    expect(client.send('early')).to.equal(false);
    const socket = await connected(client);
    expect(client.send({ text: 'hi' }, { type: 'info' })).to.equal(true);
    expect(client.send('plain')).to.equal(true);
    expect(socket.sent.map((s) => JSON.parse(s))).to.deep.equal([
      { action: 'sendMessage', type: 'info', data: { text: 'hi' } },
      { action: 'sendMessage', data: 'plain' },
    ]);
  });

  it('reconnects with exponential backoff and jitter, asking for a fresh token each time', async () => {
    let tokens = 0;
    const client = make({ token: async () => `t${++tokens}` });
    const details: Array<number | undefined> = [];
    client.onStateChange((state, detail) => {
      if (state === 'reconnecting') details.push(detail?.delayMs);
    });
    const first = await connected(client);
    first.drop();
    // Equal jitter with random() = 0.5: 3/4 of min(max, 100 · 2^attempt).
    expect(timers.fireNext()).to.equal(75);
    await flush();
    (FakeSocket.instances.at(-1) as FakeSocket).drop();
    expect(timers.fireNext()).to.equal(150);
    await flush();
    (FakeSocket.instances.at(-1) as FakeSocket).drop();
    expect(timers.fireNext()).to.equal(300);
    await flush();
    (FakeSocket.instances.at(-1) as FakeSocket).open();
    expect(client.state).to.equal('open');
    expect(details).to.deep.equal([75, 150, 300]);
    expect(FakeSocket.instances.map((s) => s.url.split('token=')[1])).to.deep.equal(['t1', 't2', 't3', 't4']);
    // A successful open resets the backoff.
    (FakeSocket.instances.at(-1) as FakeSocket).drop();
    expect(timers.fireNext()).to.equal(75);
  });

  it('caps the delay at maxDelayMs', async () => {
    const client = make({ reconnect: { initialDelayMs: 400, maxDelayMs: 500, factor: 10 } });
    (await connected(client)).drop();
    expect(timers.fireNext()).to.equal(300);
    await flush();
    (FakeSocket.instances.at(-1) as FakeSocket).drop();
    expect(timers.fireNext()).to.equal(375);
  });

  it('retries when the token provider fails', async () => {
    let calls = 0;
    const client = make({
      token: async () => {
        calls += 1;
        if (calls === 1) throw new Error('token endpoint down');
        return 'ok';
      },
    });
    client.connect();
    await flush();
    expect(FakeSocket.instances).to.have.length(0);
    expect(client.state).to.equal('reconnecting');
    timers.fireNext();
    await flush();
    expect(FakeSocket.instances).to.have.length(1);
  });

  it('close() closes the socket with 1000 and cancels any reconnection', async () => {
    const client = make();
    const socket = await connected(client);
    client.close();
    expect(socket.closedWith).to.deep.equal([1000, 'client closed']);
    socket.drop(1000);
    expect(client.state).to.equal('closed');
    expect(timers.pending).to.have.length(0);

    const other = make();
    (await connected(other)).drop();
    other.close();
    expect(timers.pending.every((t) => t.cancelled)).to.equal(true);
  });

  it('gives up after maxAttempts failed reconnections, or at once when reconnection is off', async () => {
    const limited = make({ reconnect: { initialDelayMs: 10, maxAttempts: 1 } });
    (await connected(limited)).drop();
    timers.fireNext();
    await flush();
    (FakeSocket.instances.at(-1) as FakeSocket).drop();
    expect(limited.state).to.equal('closed');

    const once = make({ reconnect: false });
    (await connected(once)).drop(1001);
    expect(once.state).to.equal('closed');
  });

  it('needs a WebSocket implementation', () => {
    const original = (globalThis as { WebSocket?: unknown }).WebSocket;
    (globalThis as { WebSocket?: unknown }).WebSocket = undefined;
    try {
      expect(() => new HermesClient({ url: 'ws://x', token: 't' })).to.throw(/no WebSocket implementation/);
    } finally {
      (globalThis as { WebSocket?: unknown }).WebSocket = original;
    }
  });
});
