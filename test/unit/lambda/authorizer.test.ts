import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import type { ConnectionGrantStore } from '../../../src/application/notifications/ports/ConnectionGrantStore.js';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { IssueConnectionToken } from '../../../src/application/notifications/usecases/IssueConnectionToken.js';
import { createAuthorizerHandler } from '../../../src/entrypoints/lambda/handlers/authorizer.js';
import { notificationCore, TEST_JWT_SECRET } from '../../support/notificationCore.js';
import { authorizerEvent, METHOD_ARN } from './events.js';
import { handlerDeps } from '../../support/handlerDeps.js';

describe('authorizer handler', () => {
  async function setup(values: Array<[symbol, unknown]> = []) {
    const core = notificationCore({}, values);
    const handler = createAuthorizerHandler(handlerDeps(core.container));
    return { core, handler };
  }

  it('allows a token it issued: one Allow statement on the method ARN, context {room_id, user_id}', async () => {
    const { core, handler } = await setup();
    const { token } = await core
      .get<IssueConnectionToken>(NOTIFICATION_TOKENS.IssueConnectionToken)
      .execute({ userId: 'alice', roomId: 'acme' });
    expect(await handler(authorizerEvent(token))).to.deep.equal({
      principalId: 'alice',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN }],
      },
      context: { room_id: 'acme', user_id: 'alice' },
    });
  });

  const badTokens: Array<[string, string | undefined]> = [
    ['no query string at all', undefined],
    ['an empty token', ''],
    ['garbage', 'not.a.jwt'],
    [
      'a token signed with another secret',
      jwt.sign({ user_id: 'a', room_id: 'b', token: 'f'.repeat(64) }, 'x'.repeat(40), { algorithm: 'HS512' }),
    ],
    [
      'a valid signature without a grant',
      jwt.sign({ user_id: 'a', room_id: 'b', token: 'f'.repeat(64) }, TEST_JWT_SECRET, { algorithm: 'HS512', expiresIn: 60 }),
    ],
  ];
  for (const [name, token] of badTokens) {
    it(`denies ${name} with a Deny policy (never null, never a throw)`, async () => {
      const { handler } = await setup();
      const result = await handler(authorizerEvent(token));
      expect(result.policyDocument.Statement).to.deep.equal([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: METHOD_ARN }]);
      expect(result.principalId).to.be.a('string').and.not.equal('');
      expect(result).to.not.have.property('context');
    });
  }

  it('denies an event without a method ARN, even with a valid token', async () => {
    const { core, handler } = await setup();
    const { token } = await core
      .get<IssueConnectionToken>(NOTIFICATION_TOKENS.IssueConnectionToken)
      .execute({ userId: 'alice', roomId: 'acme' });
    const result = await handler(authorizerEvent(token, { methodArn: '' }));
    expect(result.policyDocument.Statement[0]).to.include({ Effect: 'Deny' });
  });

  it('rejects when the grant store fails, so that API Gateway answers 500 rather than a deny', async () => {
    const failing: ConnectionGrantStore = {
      put: async () => undefined,
      get: async () => {
        throw new Error('ProvisionedThroughputExceededException');
      },
      revoke: async () => undefined,
    };
    const { handler } = await setup([[NOTIFICATION_TOKENS.ConnectionGrantStore, failing]]);
    const token = jwt.sign({ user_id: 'a', room_id: 'b', token: 'f'.repeat(64) }, TEST_JWT_SECRET, { algorithm: 'HS512', expiresIn: 60 });
    let rejected: unknown;
    try {
      await handler(authorizerEvent(token));
    } catch (error) {
      rejected = error;
    }
    expect(rejected).to.be.instanceOf(Error).with.property('message', 'ProvisionedThroughputExceededException');
  });
});
