import { expect } from 'chai';
import sinon from 'sinon';
import type { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../../../../src/adapters/aws/clients.js';
import { QueuePublishError, SqsNotificationQueue } from '../../../../src/adapters/aws/SqsNotificationQueue.js';
import { RoomId } from '../../../../src/domain/connection/RoomId.js';
import { Notification } from '../../../../src/domain/notification/Notification.js';

const URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/hermes-notifications';
const FAST = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

/** Partial failures of SendMessageBatch, which the emulator never produces. */
describe('SqsNotificationQueue.publishBatch (partial failures)', () => {
  const client = createSqsClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  let send: sinon.SinonStub;

  beforeEach(() => {
    send = sinon.stub(client, 'send');
  });

  afterEach(() => send.restore());

  after(() => client.destroy());

  const notifications = (count: number) =>
    Array.from({ length: count }, (_, i) =>
      Notification.create({ id: `n${i}`, type: 'info', roomId: RoomId.of('r'), data: i, sentAt: new Date(0) }),
    );
  const entryIds = (call: sinon.SinonSpyCall): string[] =>
    (call.args[0] as SendMessageBatchCommand).input.Entries?.map((e) => e.Id ?? '') ?? [];

  it('retries only the entries SQS failed on its side', async () => {
    send.onCall(0).resolves({
      Successful: [],
      Failed: [
        { Id: '1', SenderFault: false, Code: 'InternalError' },
        { Id: '3', SenderFault: false, Code: 'InternalError' },
      ],
    });
    send.onCall(1).resolves({ Successful: [], Failed: [] });
    await new SqsNotificationQueue(client, { queueUrl: URL }, FAST).publishBatch(notifications(4));
    expect(send.getCalls().map(entryIds)).to.deep.equal([
      ['0', '1', '2', '3'],
      ['1', '3'],
    ]);
  });

  it('does not retry entries refused as invalid, and names them in the error', async () => {
    send.onCall(0).resolves({ Failed: [{ Id: '2', SenderFault: true, Code: 'InvalidMessageContents' }] });
    const error = await new SqsNotificationQueue(client, { queueUrl: URL }, FAST).publishBatch(notifications(3)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(QueuePublishError);
    expect((error as QueuePublishError).notificationIds).to.deep.equal(['n2']);
    expect(send.callCount).to.equal(1);
  });

  it('gives up after maxAttempts on entries that keep failing', async () => {
    send.resolves({ Failed: [{ Id: '0', SenderFault: false, Code: 'ServiceUnavailable' }] });
    const error = await new SqsNotificationQueue(client, { queueUrl: URL }, FAST).publishBatch(notifications(2)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect((error as QueuePublishError).notificationIds).to.deep.equal(['n0']);
    expect(send.callCount).to.equal(3);
  });
});
