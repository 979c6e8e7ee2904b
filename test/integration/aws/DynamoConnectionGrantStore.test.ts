import { expect } from 'chai';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoConnectionGrantStore } from '../../../src/adapters/aws/DynamoConnectionGrantStore.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { UserId } from '../../../src/domain/connection/UserId.js';
import { connectionGrantStoreContract } from '../../contracts/connectionGrantStoreContract.js';
import { uniqueName } from '../../support/services/index.js';
import { withProvisionedLocalAws } from './support/localAws.js';

describe('DynamoConnectionGrantStore on DynamoDB Local', function () {
  this.timeout(60_000);
  const aws = withProvisionedLocalAws();

  const store = (): DynamoConnectionGrantStore => new DynamoConnectionGrantStore(aws().documents, aws().config.tables.grants);

  connectionGrantStoreContract('DynamoConnectionGrantStore', async () => store());

  it('stores the bcrypt hash as token_hash and the expiry as epoch seconds (TTL), never the token', async function () {
    const userId = UserId.of(uniqueName('user'));
    const roomId = RoomId.of('lobby');
    const expiresAt = new Date(Date.now() + 3_600_500);
    await store().put({ userId, roomId, tokenHash: '$2b$04$hash', expiresAt });
    const { Item } = await aws().documents.send(
      new GetCommand({ TableName: aws().config.tables.grants, Key: { user_id: userId.value, room_id: 'lobby' } }),
    );
    expect(Item).to.deep.equal({
      user_id: userId.value,
      room_id: 'lobby',
      token_hash: '$2b$04$hash',
      expires_at: Math.ceil(expiresAt.getTime() / 1000),
    });
  });

  it("grants nothing for the seed's rows (a `token` attribute, no hash nor expiry)", async function () {
    const userId = uniqueName('seed-user');
    await aws().documents.send(
      new PutCommand({ TableName: aws().config.tables.grants, Item: { user_id: userId, room_id: 'r1', token: '$2a$10$legacy' } }),
    );
    expect(await store().get(UserId.of(userId), RoomId.of('r1'))).to.equal(undefined);
  });
});
