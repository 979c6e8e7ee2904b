import { expect } from 'chai';
import {
  CLIENT_ERROR_CODES,
  type ConnectionState,
  HermesClient,
  type HermesErrorReply,
  type StateDetail,
  type Timers,
} from '../../../src/entrypoints/client/HermesClient.js';

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
  /** What `ws` does when the server answers the upgrade with another status than 101. */
  refuseAsWs(status: number): void {
    this.onerror?.({ message: `Unexpected server response: ${status}` });
    this.drop(1006);
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
const notification = (type: string, data: unknown) => ({
  id: 'n1',
  type,
  room_id: 'acme',
  user_id: 'alice',
  sent_at: '2026-01-01T00:00:00.000Z',
  data,
});

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

  /** Fires the pending reconnection timer and lets the attempt it starts get under way. */
  async function nextAttempt(): Promise<void> {
    timers.fireNext();
    await flush();
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
    expect(socket.sent.map((s) => JSON.parse(s) as unknown)).to.deep.equal([
      // On opening, the client asks where the room stands (no `since` yet).
      { action: 'resume' },
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
    await nextAttempt();
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
    await nextAttempt();
    (FakeSocket.instances.at(-1) as FakeSocket).drop();
    expect(limited.state).to.equal('closed');

    const once = make({ reconnect: false });
    (await connected(once)).drop(1001);
    expect(once.state).to.equal('closed');
  });

  describe('refused connections', () => {
    // A browser never learns why an upgrade failed: the WebSockets Standard ("Feedback from the
    // protocol", https://websockets.spec.whatwg.org/#feedback-from-the-protocol) forbids telling a
    // script a refused handshake from an unreachable host, and RFC 6455 §4.1 makes any status but 101
    // "fail the WebSocket connection", i.e. an error event then a close with code 1006 (§7.1.5) before
    // `open`. So the client counts attempts that close before opening.
    const latest = (): FakeSocket => FakeSocket.instances.at(-1) as FakeSocket;
    async function failHandshake(): Promise<void> {
      latest().drop(1006);
      await flush();
    }
    /** Fails the next `times` handshakes, the reconnection timer fired between them. */
    async function refuseHandshakes(times: number): Promise<void> {
      for (let i = 0; i < times; i += 1) {
        if (i > 0) await nextAttempt();
        await failHandshake();
      }
    }

    it('gives up after 3 attempts in a row that closed before opening, reporting it once', async () => {
      const client = make();
      const errors: HermesErrorReply[] = [];
      const closed: Array<StateDetail | undefined> = [];
      client.onError((error) => errors.push(error));
      client.onStateChange((state, detail) => {
        if (state === 'closed') closed.push(detail);
      });
      client.connect();
      await flush();
      await refuseHandshakes(3);
      expect(FakeSocket.instances).to.have.length(3);
      expect(client.state).to.equal('closed');
      expect(timers.pending).to.have.length(0);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.deep.include({ code: CLIENT_ERROR_CODES.CONNECTION_REFUSED, attempts: 3 });
      expect(errors[0]?.message).to.match(/refused the connection 3 times in a row: the token is invalid, expired or not for this gateway/);
      expect(closed).to.deep.equal([{ error: errors[0], code: 1006 }]);
    });

    it('takes maxFailedHandshakes from the options, and a successful open resets the count', async () => {
      const client = make({ maxFailedHandshakes: 2 });
      (await connected(client)).drop(1001);
      await nextAttempt();
      await failHandshake();
      expect(client.state).to.equal('reconnecting');
      await nextAttempt();
      latest().open();
      latest().drop(1001);
      await nextAttempt();
      await failHandshake();
      expect(client.state).to.equal('reconnecting');
      await nextAttempt();
      await failHandshake();
      expect(client.state).to.equal('closed');
    });

    it('keeps reconnecting while isReachable says the gateway is unreachable, counting only reachable refusals', async () => {
      let reachable = false;
      let probes = 0;
      const client = make({
        isReachable: async () => {
          probes += 1;
          return reachable;
        },
      });
      client.connect();
      await flush();
      for (let i = 0; i < 5; i += 1) {
        await failHandshake();
        expect(client.state).to.equal('reconnecting');
        await nextAttempt();
      }
      reachable = true;
      await refuseHandshakes(3);
      expect(probes).to.equal(8);
      expect(client.state).to.equal('closed');
    });

    it('counts a failing isReachable as unreachable', async () => {
      const client = make({
        maxFailedHandshakes: 1,
        isReachable: () => Promise.reject(new Error('fetch failed')),
      });
      client.connect();
      await flush();
      await failHandshake();
      expect(client.state).to.equal('reconnecting');
    });

    it('names the HTTP status when the WebSocket implementation reports it (the ws package)', async () => {
      const client = make({ maxFailedHandshakes: 1 });
      const errors: HermesErrorReply[] = [];
      client.onError((error) => errors.push(error));
      client.connect();
      await flush();
      latest().refuseAsWs(403);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.deep.include({ code: CLIENT_ERROR_CODES.CONNECTION_REFUSED, status: 403, attempts: 1 });
      expect(errors[0]?.message).to.match(/refused the connection \(HTTP 403\) once/);
    });

    it('does not count closes of a connection that had opened', async () => {
      const client = make({ maxFailedHandshakes: 1 });
      for (let i = 0; i < 3; i += 1) {
        (i === 0 ? await connected(client) : latest()).drop(1001);
        await nextAttempt();
        latest().open();
      }
      expect(client.state).to.equal('open');
    });

    it('gives up at once when the token provider fails with a non-retryable error, and retries other failures', async () => {
      const refusal = Object.assign(new Error('"bob smith" is not accepted as a user name'), { retryable: false });
      const client = make({ token: () => Promise.reject(refusal) });
      const errors: HermesErrorReply[] = [];
      client.onError((error) => errors.push(error));
      client.connect();
      await flush();
      expect(client.state).to.equal('closed');
      expect(FakeSocket.instances).to.have.length(0);
      expect(timers.pending).to.have.length(0);
      expect(errors).to.deep.equal([{ code: CLIENT_ERROR_CODES.TOKEN_REFUSED, message: '"bob smith" is not accepted as a user name' }]);

      const transient = make({ token: () => Promise.reject(Object.assign(new Error('503'), { retryable: true })) });
      transient.connect();
      await flush();
      expect(transient.state).to.equal('reconnecting');
    });

    it('connect() after giving up starts counting again', async () => {
      const client = make({ maxFailedHandshakes: 1 });
      client.connect();
      await flush();
      await failHandshake();
      expect(client.state).to.equal('closed');
      client.connect();
      await flush();
      expect(FakeSocket.instances).to.have.length(2);
      latest().open();
      expect(client.state).to.equal('open');
    });
  });

  describe('message size', () => {
    const envelope = JSON.stringify({ action: 'sendMessage', data: '' }).length;

    it('does not send a message over the frame limit: send returns false, MESSAGE_TOO_LARGE is reported, the socket stays open', async () => {
      const client = make({ limits: { maxFrameBytes: 100, maxMessageBytes: 1_000 } });
      const socket = await connected(client);
      const errors: HermesErrorReply[] = [];
      client.onError((error) => errors.push(error));
      expect(client.send('x'.repeat(100 - envelope))).to.equal(true);
      expect(client.send('x'.repeat(101 - envelope))).to.equal(false);
      expect(socket.sent).to.have.length(2);
      expect(socket.closedWith).to.equal(undefined);
      expect(client.state).to.equal('open');
      expect(errors).to.deep.equal([
        {
          code: CLIENT_ERROR_CODES.MESSAGE_TOO_LARGE,
          message: 'the message is 101 bytes; the gateway accepts at most 100 bytes, so it was not sent',
        },
      ]);
    });

    it('measures UTF-8 bytes, and takes the smaller of the frame and message limits', async () => {
      const client = make({ limits: { maxFrameBytes: 32 * 1024, maxMessageBytes: 2_000 } });
      const socket = await connected(client);
      const errors: HermesErrorReply[] = [];
      client.onError((error) => errors.push(error));
      // 700 × "é" is 700 UTF-16 units but 1,400 bytes; 1,000 × "é" is 2,000 bytes.
      expect(client.send('é'.repeat(700))).to.equal(true);
      expect(client.send('é'.repeat(1_000))).to.equal(false);
      expect(errors[0]?.message).to.equal(
        `the message is ${Math.round(((2_000 + envelope) / 1024) * 10) / 10} KB; the gateway accepts at most 2 KB, so it was not sent`,
      );
      expect(socket.sent).to.have.length(2);
    });

    it('sends anything when no limits are given, and reports a 1009 close from the gateway', async () => {
      const client = make();
      const socket = await connected(client);
      const errors: HermesErrorReply[] = [];
      client.onError((error) => errors.push(error));
      expect(client.send('x'.repeat(200_000))).to.equal(true);
      socket.drop(1009);
      expect(errors.map((e) => e.code)).to.deep.equal([CLIENT_ERROR_CODES.MESSAGE_TOO_LARGE]);
      expect(client.state).to.equal('reconnecting');
    });
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
