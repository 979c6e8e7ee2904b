import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SecretHasher } from '../../application/notifications/ports/SecretHasher.js';
import { PermanentError, TransientError } from '../../domain/shared/HermesError.js';
import { type BcryptAnswer, type BcryptTask, BCRYPT_WORKER_SOURCE } from './bcryptWorkerSource.js';

/** The pool has as many tasks waiting as it accepts: the caller should refuse the work now (HTTP 429). */
export class HasherBusyError extends TransientError {
  readonly code = 'HASHER_BUSY';

  constructor(queued: number) {
    super(`the bcrypt worker pool is saturated (${queued} tasks waiting)`, 1_000, { details: { queued } });
  }
}

/** The pool was closed: no more hashing in this process. */
export class HasherClosedError extends PermanentError {
  readonly code = 'HASHER_CLOSED';

  constructor() {
    super('the bcrypt worker pool is closed');
  }
}

/** A worker died (or could not start) with a task in hand; the task may succeed on another worker. */
export class HasherWorkerError extends TransientError {
  readonly code = 'HASHER_WORKER_FAILED';

  constructor(message: string) {
    super(`bcrypt worker: ${message}`);
  }
}

/** bcryptjs refused the task itself (an illegal cost, a salt or hash it cannot read). */
export class HashingRefusedError extends PermanentError {
  readonly code = 'HASHING_REFUSED';

  constructor(message: string) {
    super(`bcrypt: ${message}`);
  }
}

export interface WorkerPoolOptions {
  /** Worker threads; default: one less than the CPUs (at least 1), leaving a core to the event loop. */
  readonly size?: number;
  /** Tasks allowed to wait for a worker; beyond it `hash`/`compare` reject with {@link HasherBusyError}. */
  readonly maxQueued?: number;
}

type Pending = { readonly task: BcryptTask; resolve(value: string | boolean): void; reject(error: Error): void };

interface Slot {
  readonly worker: Worker;
  current: Pending | undefined;
}

export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * bcrypt (bcryptjs, the same hashes as {@link BcryptSecretHasher}) on a small pool of worker
 * threads, so a burst of connects never blocks the event loop. Workers start on first use and do
 * not keep the process alive while idle; identical comparisons in flight share one computation.
 */
export class WorkerPoolSecretHasher implements SecretHasher {
  private readonly size: number;
  private readonly maxQueued: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly comparing = new Map<string, Promise<boolean>>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly cost: number,
    options: WorkerPoolOptions = {},
  ) {
    this.size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()));
    this.maxQueued = Math.max(0, Math.floor(options.maxQueued ?? 1_000));
  }

  /** Workers started so far (for tests and health). */
  get workerCount(): number {
    return this.slots.length;
  }

  async hash(secret: string): Promise<string> {
    return (await this.run({ id: this.nextId++, op: 'hash', secret, cost: this.cost })) as string;
  }

  /** False for a malformed hash, as the direct hasher; pool failures (busy, closed) reject. */
  compare(secret: string, hashed: string): Promise<boolean> {
    const key = createHash('sha256').update(secret).update('\0').update(hashed).digest('base64url');
    const inFlight = this.comparing.get(key);
    if (inFlight) return inFlight;
    const comparison = this.run({ id: this.nextId++, op: 'compare', secret, hash: hashed }).then(
      (value) => value === true,
      (error: unknown) => {
        if (error instanceof HashingRefusedError) return false;
        throw error;
      },
    );
    this.comparing.set(key, comparison);
    void comparison.finally(() => this.comparing.delete(key)).catch(() => undefined);
    return comparison;
  }

  /** Terminates every worker; tasks not finished reject with {@link HasherClosedError}. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new HasherClosedError();
    for (const pending of this.queue.splice(0)) pending.reject(error);
    const slots = this.slots.splice(0);
    for (const slot of slots) slot.current?.reject(error);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private run(task: BcryptTask): Promise<string | boolean> {
    if (this.closed) return Promise.reject(new HasherClosedError());
    return new Promise((resolve, reject) => {
      const pending: Pending = { task, resolve, reject };
      const idle = this.idleSlot();
      if (idle) return this.dispatch(idle, pending);
      if (this.queue.length >= this.maxQueued) return reject(new HasherBusyError(this.queue.length));
      this.queue.push(pending);
    });
  }

  private idleSlot(): Slot | undefined {
    const idle = this.slots.find((slot) => slot.current === undefined);
    if (idle) return idle;
    return this.slots.length < this.size ? this.startWorker() : undefined;
  }

  private dispatch(slot: Slot, pending: Pending): void {
    slot.current = pending;
    slot.worker.ref();
    slot.worker.postMessage(pending.task);
  }

  private startWorker(): Slot {
    const worker = new Worker(BCRYPT_WORKER_SOURCE, { eval: true, workerData: { bcryptjs: bcryptjsPath() } });
    const slot: Slot = { worker, current: undefined };
    worker.on('message', (answer: BcryptAnswer) => {
      const pending = slot.current;
      if (!pending || pending.task.id !== answer.id) return;
      slot.current = undefined;
      if (answer.ok) pending.resolve(answer.value);
      else pending.reject(new HashingRefusedError(answer.message));
      this.next(slot);
    });
    worker.on('error', (error) => this.lose(slot, new HasherWorkerError(error.message)));
    worker.on('exit', (code) => this.lose(slot, new HasherWorkerError(`exited with code ${code}`)));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private next(slot: Slot): void {
    const pending = this.queue.shift();
    if (pending) this.dispatch(slot, pending);
    else slot.worker.unref();
  }

  /** A worker that died: its task fails, and a new worker takes the queue. */
  private lose(slot: Slot, error: HasherWorkerError): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    slot.current?.reject(error);
    slot.current = undefined;
    if (this.closed) return;
    const pending = this.queue.shift();
    if (pending) this.dispatch(this.startWorker(), pending);
  }
}

let resolvedBcryptjs: string | undefined;

/** bcryptjs' CommonJS build, resolved from this module (works from sources, tsc output and bundles run beside node_modules). */
function bcryptjsPath(): string {
  resolvedBcryptjs ??= createRequire(import.meta.url).resolve('bcryptjs');
  return resolvedBcryptjs;
}
