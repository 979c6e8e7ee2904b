import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { AuthorizeConnection } from '../../../src/application/notifications/usecases/AuthorizeConnection.js';
import type { IssueConnectionToken } from '../../../src/application/notifications/usecases/IssueConnectionToken.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { UserId } from '../../../src/domain/connection/UserId.js';
import { notificationCore, TEST_JWT_SECRET, type NotificationCore } from '../../support/notificationCore.js';

describe('AuthorizeConnection', () => {
  let core: NotificationCore;
  let authorize: AuthorizeConnection;
  let token: string;
  let claims: Record<string, unknown>;

  /** A token signed with full control over header, secret and claims. */
  function forge(overrides: Record<string, unknown>, options: jwt.SignOptions = { algorithm: 'HS512' }, secret = TEST_JWT_SECRET): string {
    const { iat: _iat, ...base } = claims;
    const payload: Record<string, unknown> = { ...base, ...overrides };
    for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
    return jwt.sign(payload, secret, { noTimestamp: true, ...options });
  }

  async function reason(candidate: unknown): Promise<string> {
    const decision = await authorize.execute(candidate);
    return decision.effect === 'Deny' ? decision.reason : 'ALLOWED';
  }

  beforeEach(async () => {
    core = notificationCore();
    authorize = core.get(NOTIFICATION_TOKENS.AuthorizeConnection);
    token = (await core.get<IssueConnectionToken>(NOTIFICATION_TOKENS.IssueConnectionToken).execute({ userId: 'alice', roomId: 'acme' }))
      .token;
    claims = jwt.decode(token) as Record<string, unknown>;
  });

  it('allows a token it issued, with the principal, room and user', async () => {
    const decision = await authorize.execute(token);
    expect(decision.effect).to.equal('Allow');
    if (decision.effect !== 'Allow') return;
    expect(decision.principalId).to.equal('alice');
    expect(decision.roomId.value).to.equal('acme');
    expect(decision.userId.value).to.equal('alice');
  });

  const now = (): number => Math.floor(Date.now() / 1000);

  const denials: Array<[string, () => unknown, string]> = [
    ['a missing token', () => undefined, 'TOKEN_MISSING'],
    ['a null token', () => null, 'TOKEN_MISSING'],
    ['an empty token', () => '', 'TOKEN_MISSING'],
    ['a blank token', () => '   ', 'TOKEN_MISSING'],
    ['a token that is not a string', () => 12345, 'TOKEN_MISSING'],
    ['a token that is not a JWT', () => 'not-a-jwt', 'TOKEN_MALFORMED'],
    ['three segments of garbage', () => 'aaa.bbb.ccc', 'TOKEN_MALFORMED'],
    ['a token longer than 4 KB', () => `${token}${'a'.repeat(4097 - token.length)}`, 'TOKEN_TOO_LONG'],
    ['a tampered signature', () => `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`, 'TOKEN_SIGNATURE_INVALID'],
    [
      'a tampered payload',
      () => {
        const [h, , s] = token.split('.');
        return `${h}.${Buffer.from(JSON.stringify({ ...claims, room_id: 'other' })).toString('base64url')}.${s}`;
      },
      'TOKEN_SIGNATURE_INVALID',
    ],
    [
      'a token signed with another secret',
      () => forge({}, { algorithm: 'HS512' }, 'another-secret-0123456789abcdef0123456789'),
      'TOKEN_SIGNATURE_INVALID',
    ],
    ['alg none', () => forge({}, { algorithm: 'none' }, ''), 'TOKEN_ALGORITHM_NOT_ALLOWED'],
    ['HS256 with the same secret', () => forge({}, { algorithm: 'HS256' }), 'TOKEN_ALGORITHM_NOT_ALLOWED'],
    ['HS384 with the same secret', () => forge({}, { algorithm: 'HS384' }), 'TOKEN_ALGORITHM_NOT_ALLOWED'],
    [
      'an RS256 header',
      () => {
        const [, p, s] = token.split('.');
        return `${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url')}.${p}.${s}`;
      },
      'TOKEN_ALGORITHM_NOT_ALLOWED',
    ],
    ['an expired token (beyond the clock skew)', () => forge({ exp: now() - 120 }), 'TOKEN_EXPIRED'],
    ['a token not yet valid (beyond the clock skew)', () => forge({ nbf: now() + 300 }), 'TOKEN_NOT_YET_VALID'],
    ['a token without exp', () => forge({ exp: undefined }), 'TOKEN_CLAIMS_INVALID'],
    ['a token without room_id', () => forge({ room_id: undefined }), 'TOKEN_CLAIMS_INVALID'],
    ['a token without user_id', () => forge({ user_id: undefined }), 'TOKEN_CLAIMS_INVALID'],
    ['a token without the inner token', () => forge({ token: undefined }), 'TOKEN_CLAIMS_INVALID'],
    ['a room_id of the wrong type', () => forge({ room_id: ['acme'] }), 'TOKEN_CLAIMS_INVALID'],
    ['a user_id of the wrong type', () => forge({ user_id: { id: 'alice' } }), 'TOKEN_CLAIMS_INVALID'],
    ['an inner token of the wrong type', () => forge({ token: 42 }), 'TOKEN_CLAIMS_INVALID'],
    ['a string payload instead of claims', () => jwt.sign('just-a-string', TEST_JWT_SECRET, { algorithm: 'HS512' }), 'TOKEN_MALFORMED'],
    ['a valid signature for a room without a grant', () => forge({ room_id: 'elsewhere' }), 'GRANT_NOT_FOUND'],
    ['an inner token that does not match the stored hash', () => forge({ token: 'f'.repeat(64) }), 'TOKEN_MISMATCH'],
  ];

  for (const [name, candidate, expected] of denials) {
    it(`denies ${name} (${expected})`, async () => {
      expect(await reason(candidate())).to.equal(expected);
    });
  }

  it('tolerates a small clock skew on exp and nbf', async () => {
    expect(await reason(forge({ exp: now() - 10 }))).to.equal('ALLOWED');
    expect(await reason(forge({ nbf: now() + 10 }))).to.equal('ALLOWED');
  });

  it('denies a revoked grant', async () => {
    await core.grants.revoke(UserId.of('alice'), RoomId.of('acme'));
    expect(await reason(token)).to.equal('GRANT_NOT_FOUND');
  });

  it('denies once the stored grant has expired', async () => {
    core.clock.advance(3601 * 1000);
    expect(await reason(token)).to.equal('GRANT_EXPIRED');
  });

  it('denies when the stored hash is not a bcrypt hash', async () => {
    const grant = await core.grants.get(UserId.of('alice'), RoomId.of('acme'));
    await core.grants.put({ ...grant!, tokenHash: 'not-a-bcrypt-hash' });
    expect(await reason(token)).to.equal('TOKEN_MISMATCH');
  });

  it('propagates a storage failure instead of allowing or denying', async () => {
    const failing = notificationCore({}, [
      [
        NOTIFICATION_TOKENS.ConnectionGrantStore,
        {
          put: async () => undefined,
          get: async () => {
            throw new Error('table unavailable');
          },
          revoke: async () => undefined,
        },
      ],
    ]);
    const issued = jwt.sign(claims, TEST_JWT_SECRET, { algorithm: 'HS512' });
    const error = await failing
      .get<AuthorizeConnection>(NOTIFICATION_TOKENS.AuthorizeConnection)
      .execute(issued)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).to.be.instanceOf(Error).with.property('message', 'table unavailable');
  });
});
