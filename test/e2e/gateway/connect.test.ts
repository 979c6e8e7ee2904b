import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import type { ConnectionGrantStore } from '../../../src/application/notifications/ports/ConnectionGrantStore.js';
import type { TokenVerifier } from '../../../src/application/notifications/ports/TokenVerifier.js';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import { TEST_JWT_SECRET } from '../../support/notificationCore.js';
import { eventually, refusalStatus, startTestGateway, type TestGateway } from './support/gatewayHarness.js';

describe('local gateway: $connect', () => {
  let gw: TestGateway;
  let valid: string;

  before(async () => {
    gw = await startTestGateway();
    valid = await gw.token('alice', 'acme');
  });
  after(() => gw.stop());

  const forge = (claims: Record<string, unknown>, options: jwt.SignOptions = { algorithm: 'HS512' }, secret = TEST_JWT_SECRET): string => {
    const base = jwt.decode(valid) as Record<string, unknown>;
    const { iat: _iat, ...rest } = base;
    return jwt.sign({ ...rest, ...claims }, secret, { noTimestamp: true, ...options });
  };

  it('accepts a valid token and registers the connection under the authorizer context', async () => {
    const { client, connectionId } = await gw.connectWithId('alice', 'acme');
    expect(await gw.isRegistered(connectionId)).to.equal(true);
    const connection = gw.gateway.websocket.get(connectionId);
    expect(connection?.authorizer).to.include({ room_id: 'acme', user_id: 'alice', principalId: 'alice' });
    await client.close();
  });

  // Without the identity source (route.request.querystring.token) API Gateway answers 401 and does not
  // run the authorizer (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html).
  for (const [name, query] of [
    ['no token', ''],
    ['an empty token', '?token='],
  ] as const) {
    it(`answers 401 to ${name}`, async () => {
      expect(await refusalStatus(`${gw.websocketUrl}${query}`)).to.equal(401);
    });
  }

  const denials: Array<[string, () => string]> = [
    ['a token that is not a JWT', () => '?token=not-a-jwt'],
    ['a tampered signature', () => `?token=${valid.slice(0, -3)}${valid.endsWith('AAA') ? 'BBB' : 'AAA'}`],
    ['a token signed with another secret', () => `?token=${forge({}, { algorithm: 'HS512' }, 'another-secret-0123456789abcdef012345')}`],
    ['an HS256 token', () => `?token=${forge({}, { algorithm: 'HS256' })}`],
    ['an expired token', () => `?token=${forge({ exp: Math.floor(Date.now() / 1000) - 600 })}`],
    ['a token for a room without a grant', () => `?token=${forge({ room_id: 'elsewhere' })}`],
    ['an inner token that does not match the grant', () => `?token=${forge({ token: 'e'.repeat(64) })}`],
    ['a token over 4 KB', () => `?token=${'a'.repeat(5000)}`],
  ];
  for (const [name, query] of denials) {
    it(`answers 403 to ${name}`, async () => {
      expect(await refusalStatus(`${gw.websocketUrl}${query()}`)).to.equal(403);
    });
  }

  it('keeps serving after every deny (no crash, no leaked connection)', async () => {
    const health = async (): Promise<{ status: string; connections: number }> =>
      (await (await fetch(`${gw.url}/health`)).json()) as { status: string; connections: number };
    await eventually(async () => (await health()).connections === 0, 2_000, 'no connection left');
    expect(await health()).to.include({ status: 'ok' });
    const client = await gw.connect('alice', 'acme');
    await client.close();
  });

  it('answers 404 outside the stage path', async () => {
    expect(await refusalStatus(`${gw.url.replace('http', 'ws')}/other-stage?token=${valid}`)).to.equal(404);
  });
});

describe('local gateway: authorizer failures', () => {
  it('answers 500 when the grant store fails (an authorizer error, not a deny)', async () => {
    const failing: ConnectionGrantStore = {
      put: async () => undefined,
      get: async () => {
        throw new Error('table unavailable');
      },
      revoke: async () => undefined,
    };
    const gw = await startTestGateway({ profile: 'memory', values: [[NOTIFICATION_TOKENS.ConnectionGrantStore, failing]] });
    try {
      const token = jwt.sign({ user_id: 'alice', room_id: 'acme', token: 'f'.repeat(64) }, TEST_JWT_SECRET, {
        algorithm: 'HS512',
        expiresIn: 60,
      });
      expect(await refusalStatus(`${gw.websocketUrl}?token=${token}`)).to.equal(500);
      expect((await fetch(`${gw.url}/health`)).status).to.equal(200);
    } finally {
      await gw.stop();
    }
  });

  it('answers 401 when the authorizer throws "Unauthorized", as API Gateway does', async () => {
    const verifier: TokenVerifier = {
      verify: async () => {
        throw new Error('Unauthorized');
      },
    };
    const gw = await startTestGateway({ profile: 'memory', values: [[NOTIFICATION_TOKENS.TokenVerifier, verifier]] });
    try {
      expect(await refusalStatus(`${gw.websocketUrl}?token=anything`)).to.equal(401);
    } finally {
      await gw.stop();
    }
  });
});
