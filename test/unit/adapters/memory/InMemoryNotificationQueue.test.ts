import { expect } from 'chai';
import { InMemoryNotificationQueue } from '../../../../src/adapters/memory/InMemoryNotificationQueue.js';

describe('InMemoryNotificationQueue', () => {
  it('hides a received message until it is released, then redelivers it with a higher receive count', async () => {
    const queue = new InMemoryNotificationQueue({ visibilityTimeoutMs: 60_000, maxReceiveCount: 5 });
    queue.enqueue('{"a":1}');
    const [first] = await queue.receive(10);
    expect(first?.receiveCount).to.equal(1);
    expect(await queue.receive(10)).to.deep.equal([]);
    queue.release(first!.receiptHandle);
    const [second] = await queue.receive(10);
    expect(second?.messageId).to.equal(first?.messageId);
    expect(second?.receiveCount).to.equal(2);
  });

  it('redelivers after the visibility timeout', async () => {
    const queue = new InMemoryNotificationQueue({ visibilityTimeoutMs: 20, maxReceiveCount: 5 });
    queue.enqueue('x');
    await queue.receive(1);
    const again = await queue.receive(1, 500);
    expect(again).to.have.length(1);
  });

  it('forgets deleted messages', async () => {
    const queue = new InMemoryNotificationQueue();
    queue.enqueue('x');
    const [message] = await queue.receive(1);
    queue.delete(message!.receiptHandle);
    expect(queue.depth).to.equal(0);
  });

  it('dead-letters a message after maxReceiveCount receives', async () => {
    const queue = new InMemoryNotificationQueue({ visibilityTimeoutMs: 60_000, maxReceiveCount: 2 });
    queue.enqueue('poison');
    for (let i = 0; i < 2; i += 1) {
      const [message] = await queue.receive(1);
      queue.release(message!.receiptHandle);
    }
    expect(await queue.receive(1)).to.deep.equal([]);
    expect(queue.deadLetters.map((m) => m.body)).to.deep.equal(['poison']);
    expect(queue.depth).to.equal(0);
  });

  it('long-polls: a receive waiting for messages returns as soon as one is published', async () => {
    const queue = new InMemoryNotificationQueue();
    const started = Date.now();
    const pending = queue.receive(10, 5_000);
    setTimeout(() => queue.enqueue('late'), 20);
    const batch = await pending;
    expect(batch.map((m) => m.body)).to.deep.equal(['late']);
    expect(Date.now() - started).to.be.lessThan(2_000);
  });

  it('returns at most the requested batch size, oldest first', async () => {
    const queue = new InMemoryNotificationQueue();
    for (let i = 0; i < 15; i += 1) queue.enqueue(String(i));
    const batch = await queue.receive(10);
    expect(batch.map((m) => m.body)).to.deep.equal(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });
});

describe('InMemoryNotificationQueue.interrupt', () => {
  it('ends a pending long poll at once', async () => {
    const queue = new InMemoryNotificationQueue();
    const started = Date.now();
    const pending = queue.receive(10, 10_000);
    setTimeout(() => queue.interrupt(), 20);
    expect(await pending).to.deep.equal([]);
    expect(Date.now() - started).to.be.lessThan(2_000);
  });
});
