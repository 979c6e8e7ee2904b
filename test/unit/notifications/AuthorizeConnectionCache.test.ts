import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { BcryptSecretHasher } from '../../../src/adapters/bcrypt/BcryptSecretHasher.js';
import type { SecretHasher } from '../../../src/application/notifications/ports/SecretHasher.js';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { AuthorizeConnection } from '../../../src/application/notifications/usecases/AuthorizeConnection.js';
import type { IssueConnectionToken } from '../../../src/application/notifications/usecases/IssueConnectionToken.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { UserId } from '../../../src/domain/connection/UserId.js';
import { notificationCore, TEST_JWT_SECRET, type NotificationCore } from '../../support/notificationCore.js';

/** The direct hasher, counting the comparisons it is asked for. */
class CountingHasher implements SecretHasher {
  compares = 0;
  private readonly inner = new BcryptSecretHasher(4);
  hash(secret: string): Promise<string> {
    return this.inner.hash(secret);
  }
  compare(secret: string, hashed: string): Promise<boolean> {
    this.compares += 1;
    return this.inner.compare(secret, hashed);
  }
}

describe('AuthorizeConnection: verified-token cache', () => {
  let core: NotificationCore;
  let hasher: CountingHasher;
  let authorize: AuthorizeConnection;
  const issue = async (userId = 'alice', roomId = 'acme'): Promise<string> =>
    (await core.get<IssueConnectionToken>(NOTIFICATION_TOKENS.IssueConnectionToken).execute({ userId, roomId })).token;
  const effect = async (token: string): Promise<string> => {
    const decision = await authorize.execute(token);
    return decision.effect === 'Allow' ? 'Allow' : decision.reason;
  };

  beforeEach(() => {
    hasher = new CountingHasher();
    core = notificationCore({}, [[NOTIFICATION_TOKENS.SecretHasher, hasher]]);
    core.clock.set(new Date());
    authorize = core.get(NOTIFICATION_TOKENS.AuthorizeConnection);
  });

  it('compares once, then allows the same token from the cache', async () => {
    const token = await issue();
    expect(await effect(token)).to.equal('Allow');
    expect(await effect(token)).to.equal('Allow');
    expect(await effect(token)).to.equal('Allow');
    expect(hasher.compares).to.equal(1);
  });

  it('misses after the grant changed (a new hash): the token is compared again', async () => {
    const first = await issue();
    expect(await effect(first)).to.equal('Allow');
    expect(hasher.compares).to.equal(1);
    // Re-issuing stores a new bcrypt hash (new salt) of the same inner token.
    await issue();
    expect(await effect(first)).to.equal('Allow');
    expect(hasher.compares).to.equal(2);
  });

  it('never lets the cache outlive a revoked grant', async () => {
    const token = await issue();
    expect(await effect(token)).to.equal('Allow');
    await core.grants.revoke(UserId.of('alice'), RoomId.of('acme'));
    expect(await effect(token)).to.equal('GRANT_NOT_FOUND');
  });

  it('misses once the token has expired (the entry lives until `exp`)', async () => {
    const issued = jwt.decode(await issue()) as Record<string, unknown>;
    const { iat: _iat, exp: _exp, ...claims } = issued;
    const nowSeconds = Math.floor(core.clock.now().getTime() / 1000);
    const shortLived = jwt.sign({ ...claims, exp: nowSeconds + 5 }, TEST_JWT_SECRET, { algorithm: 'HS512', noTimestamp: true });
    expect(await effect(shortLived)).to.equal('Allow');
    expect(await effect(shortLived)).to.equal('Allow');
    expect(hasher.compares).to.equal(1);
    // Past `exp` by the use case's clock (jsonwebtoken still accepts it within its 30 s tolerance).
    core.clock.advance(6_000);
    expect(await effect(shortLived)).to.equal('Allow');
    expect(hasher.compares).to.equal(2);
  });

  it('never caches a mismatch', async () => {
    const issued = jwt.decode(await issue()) as Record<string, unknown>;
    const { iat: _iat, ...claims } = issued;
    const wrong = jwt.sign({ ...claims, token: 'e'.repeat(64) }, TEST_JWT_SECRET, { algorithm: 'HS512', noTimestamp: true });
    expect(await effect(wrong)).to.equal('TOKEN_MISMATCH');
    expect(await effect(wrong)).to.equal('TOKEN_MISMATCH');
    expect(hasher.compares).to.equal(2);
  });
});
