import { expect } from 'chai';
import sinon from 'sinon';
import type { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDocumentClient } from '../../../../src/adapters/aws/clients.js';
import { DynamoConnectionRepository } from '../../../../src/adapters/aws/DynamoConnectionRepository.js';
import { ConnectionId } from '../../../../src/domain/connection/ConnectionId.js';
import { ManualClock } from '../../../support/ManualClock.js';

const TABLE = 'hermes-connections';
const FAST = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

type DeleteRequest = { DeleteRequest: { Key: { connection_id: string } } };

/** deleteMany's batching and UnprocessedItems retries, which DynamoDB Local never provokes. */
describe('DynamoConnectionRepository.deleteMany (batching and retries)', () => {
  const client = createDynamoDocumentClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  let send: sinon.SinonStub;

  beforeEach(() => {
    send = sinon.stub(client, 'send');
  });

  afterEach(() => {
    send.restore();
  });

  after(() => client.destroy());

  const repository = () => new DynamoConnectionRepository(client, TABLE, new ManualClock(), { backoff: FAST, deleteConcurrency: 1 });
  const ids = (count: number) => Array.from({ length: count }, (_, i) => ConnectionId.of(`c${i}`));
  const requested = (call: sinon.SinonSpyCall): string[] => {
    const command = call.args[0] as BatchWriteCommand;
    const requests = (command.input.RequestItems?.[TABLE] ?? []) as DeleteRequest[];
    return requests.map((request) => request.DeleteRequest.Key.connection_id);
  };

  it('sends chunks of at most 25 distinct keys', async () => {
    send.resolves({});
    await repository().deleteMany([...ids(60), ConnectionId.of('c3')]);
    expect(send.callCount).to.equal(3);
    expect(send.getCalls().map((call) => requested(call).length)).to.deep.equal([25, 25, 10]);
    const all = send.getCalls().flatMap(requested);
    expect(new Set(all).size).to.equal(60);
  });

  it('retries exactly the UnprocessedItems until none are left', async () => {
    const leftover: DeleteRequest[] = [
      { DeleteRequest: { Key: { connection_id: 'c2' } } },
      { DeleteRequest: { Key: { connection_id: 'c4' } } },
    ];
    send.onCall(0).resolves({ UnprocessedItems: { [TABLE]: leftover } });
    send.onCall(1).resolves({ UnprocessedItems: { [TABLE]: leftover.slice(1) } });
    send.onCall(2).resolves({ UnprocessedItems: {} });
    await repository().deleteMany(ids(5));
    expect(send.getCalls().map(requested)).to.deep.equal([['c0', 'c1', 'c2', 'c3', 'c4'], ['c2', 'c4'], ['c4']]);
  });

  it('gives up after maxAttempts and says how many deletes were left', async () => {
    send.resolves({ UnprocessedItems: { [TABLE]: [{ DeleteRequest: { Key: { connection_id: 'c1' } } }] } });
    const error = await repository()
      .deleteMany(ids(3))
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error)
      .to.be.instanceOf(Error)
      .with.property('message')
      .that.matches(/1 connection deletes still unprocessed after 4/);
    expect(send.callCount).to.equal(4);
  });

  it('makes no call for an empty list', async () => {
    await repository().deleteMany([]);
    expect(send.callCount).to.equal(0);
  });
});
