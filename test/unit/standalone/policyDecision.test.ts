import { expect } from 'chai';
import { buildPolicy } from '../../../src/entrypoints/lambda/shared/policy.js';
import { evaluatePolicy } from '../../../src/entrypoints/standalone/websocket/policyDecision.js';

const ARN = 'arn:aws:execute-api:local:000000000000:hermes/local/$connect';

describe('evaluatePolicy (what the local gateway makes of an authorizer answer)', () => {
  it('allows on a matching Allow, copying the context and principal into requestContext.authorizer', () => {
    const decision = evaluatePolicy(buildPolicy('alice', 'Allow', ARN, { room_id: 'acme', user_id: 'alice' }), ARN, 7);
    expect(decision).to.deep.equal({
      effect: 'Allow',
      authorizer: { room_id: 'acme', user_id: 'alice', principalId: 'alice', integrationLatency: 7 },
    });
  });

  it('matches wildcard resources and actions', () => {
    const policy = {
      principalId: 'p',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'execute-api:*', Resource: 'arn:aws:execute-api:*:*:hermes/*' }],
      },
    };
    expect(evaluatePolicy(policy, ARN, 0).effect).to.equal('Allow');
  });

  it('denies on a Deny, on an explicit Deny next to an Allow, and when no statement covers the ARN', () => {
    expect(evaluatePolicy(buildPolicy('x', 'Deny', ARN), ARN, 0).effect).to.equal('Deny');
    const both = {
      principalId: 'p',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN },
          { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*' },
        ],
      },
    };
    expect(evaluatePolicy(both, ARN, 0).effect).to.equal('Deny');
    expect(evaluatePolicy(buildPolicy('x', 'Allow', 'arn:aws:execute-api:local:0:other/local/$connect'), ARN, 0).effect).to.equal('Deny');
  });

  it('calls null, a missing policy or a non-scalar context invalid (API Gateway answers 500)', () => {
    expect(evaluatePolicy(null, ARN, 0).effect).to.equal('Invalid');
    expect(evaluatePolicy({ principalId: 'p' }, ARN, 0).effect).to.equal('Invalid');
    const nested = { ...buildPolicy('p', 'Allow', ARN), context: { room: { id: 1 } } };
    expect(evaluatePolicy(nested, ARN, 0).effect).to.equal('Invalid');
  });
});
