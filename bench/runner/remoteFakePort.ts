import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface RemoteStats {
  readonly calls: number;
  readonly tokenRequests: number;
  readonly apiCalls: number;
  readonly patchesOk: number;
}

/** The fake Port API running in a child process (bench/runner/fakePortProcess.ts). */
export class RemoteFakePort {
  private nextId = 1;
  private readonly pending = new Map<number, (message: Record<string, unknown>) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly credentials: { readonly clientId: string; readonly clientSecret: string },
  ) {
    child.on('message', (raw) => {
      const message = raw as Record<string, unknown>;
      const id = message['id'];
      if (typeof id !== 'number') return;
      this.pending.get(id)?.(message);
      this.pending.delete(id);
    });
  }

  static async start(latencyMs: number): Promise<RemoteFakePort> {
    const script = fileURLToPath(new URL('./fakePortProcess.ts', import.meta.url));
    const child = fork(script, [String(latencyMs)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
      child.once('message', (message) => resolve(message as Record<string, unknown>));
      child.once('exit', (code) => reject(new Error(`fake Port API process exited (${code})`)));
    });
    return new RemoteFakePort(child, String(ready['url']), ready['credentials'] as { clientId: string; clientSecret: string });
  }

  stats(): Promise<RemoteStats> {
    return this.request({ type: 'stats' }) as Promise<unknown> as Promise<RemoteStats>;
  }

  /** Resolves with the time (Date.now() of the server) at which `patches` statuses had been accepted. */
  async reached(patches: number): Promise<RemoteStats & { reachedAt: number }> {
    return (await this.request({ type: 'notifyAt', patches })) as unknown as RemoteStats & { reachedAt: number };
  }

  /** How many of `runIds` did not end SUCCESS with exactly one status update. */
  async failed(runIds: readonly string[]): Promise<number> {
    return Number((await this.request({ type: 'verify', runIds }))['failed']);
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ id: 0, type: 'stop' });
    await exited;
  }

  private request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ ...body, id });
    });
  }
}
