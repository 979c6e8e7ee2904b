import { expect } from 'chai';
import bcrypt from 'bcryptjs';
import {
  HasherBusyError,
  HasherClosedError,
  HashingRefusedError,
  WorkerPoolSecretHasher,
} from '../../../../src/adapters/bcrypt/WorkerPoolSecretHasher.js';

const SECRET = 'f'.repeat(64);

describe('WorkerPoolSecretHasher (bcrypt on worker threads)', function () {
  this.timeout(20_000);
  let pool: WorkerPoolSecretHasher;
  afterEach(() => pool.close());

  it('hashes what bcryptjs verifies, and verifies what bcryptjs hashed (same results as the direct hasher)', async () => {
    pool = new WorkerPoolSecretHasher(4, { size: 2 });
    const hashed = await pool.hash(SECRET);
    expect(hashed).to.match(/^\$2b\$04\$/);
    expect(bcrypt.compareSync(SECRET, hashed)).to.equal(true);
    const direct = bcrypt.hashSync(SECRET, 4);
    expect(await pool.compare(SECRET, direct)).to.equal(true);
    expect(await pool.compare('e'.repeat(64), direct)).to.equal(false);
    expect(await pool.compare(SECRET, 'not a bcrypt hash')).to.equal(bcrypt.compareSync(SECRET, 'not a bcrypt hash'));
  });

  it('runs many tasks over at most `size` workers', async () => {
    pool = new WorkerPoolSecretHasher(4, { size: 2 });
    const hashes = await Promise.all(Array.from({ length: 6 }, (_, i) => pool.hash(`${SECRET}${i}`)));
    expect(new Set(hashes).size).to.equal(6);
    expect(pool.workerCount).to.equal(2);
    const verdicts = await Promise.all(hashes.map((hashed, i) => pool.compare(`${SECRET}${i}`, hashed)));
    expect(verdicts).to.deep.equal([true, true, true, true, true, true]);
  });

  it('propagates an error bcryptjs throws in the worker, and keeps serving', async () => {
    pool = new WorkerPoolSecretHasher(4, { size: 1 });
    const error = await pool.hash(42 as unknown as string).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error)
      .to.be.instanceOf(HashingRefusedError)
      .with.property('message')
      .that.matches(/Illegal arguments/);
    expect(await pool.compare(SECRET, await pool.hash(SECRET))).to.equal(true);
  });

  it('refuses at once beyond maxQueued waiting tasks (HasherBusyError, retryable)', async () => {
    pool = new WorkerPoolSecretHasher(8, { size: 1, maxQueued: 1 });
    const running = pool.hash('a');
    const queued = pool.hash('b');
    const refused = await pool.hash('c').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(refused).to.be.instanceOf(HasherBusyError).with.property('retryable', true);
    await Promise.all([running, queued]);
  });

  it('shares one computation between identical comparisons in flight', async () => {
    pool = new WorkerPoolSecretHasher(4, { size: 1, maxQueued: 0 });
    const hashed = bcrypt.hashSync(SECRET, 4);
    // With no queue, a second distinct task would be refused: identical ones ride on the first.
    const verdicts = await Promise.all([pool.compare(SECRET, hashed), pool.compare(SECRET, hashed), pool.compare(SECRET, hashed)]);
    expect(verdicts).to.deep.equal([true, true, true]);
  });

  it('close() terminates the workers and rejects the tasks not finished', async () => {
    pool = new WorkerPoolSecretHasher(12, { size: 1 });
    const inFlight = pool.hash(SECRET).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    const queued = pool.hash(SECRET).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pool.workerCount).to.equal(1);
    await pool.close();
    expect(pool.workerCount).to.equal(0);
    expect(await inFlight).to.be.instanceOf(HasherClosedError);
    expect(await queued).to.be.instanceOf(HasherClosedError);
    expect(await pool.compare(SECRET, 'x').catch((caught: unknown) => caught)).to.be.instanceOf(HasherClosedError);
  });
});
