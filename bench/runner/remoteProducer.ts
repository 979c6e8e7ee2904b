import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import type { BenchRun } from './benchRunMessage.js';

/** The bench's Kafka producer running in a child process (bench/runner/producerProcess.ts). */
export class RemoteProducer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (sentAt: number) => void; reject: (error: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (raw) => {
      const message = raw as { id?: unknown; sentAt?: unknown; error?: unknown };
      if (typeof message.id !== 'number') return;
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (typeof message.error === 'string') waiter?.reject(new Error(`bench producer: ${message.error}`));
      else waiter?.resolve(Number(message.sentAt));
    });
  }

  static async start(brokers: readonly string[]): Promise<RemoteProducer> {
    const script = fileURLToPath(new URL('./producerProcess.ts', import.meta.url));
    const child = fork(script, [brokers.join(',')], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`bench producer process exited (${code})`)));
    });
    return new RemoteProducer(child);
  }

  /**
   * Produces the messages of `runs` in one request (the child writes them: not this process's CPU either);
   * resolves with the time (Date.now()) the child started sending them.
   */
  send(topic: string, runs: readonly BenchRun[]): Promise<number> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, type: 'send', topic, runs });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ id: 0, type: 'stop' });
    await exited;
  }
}
