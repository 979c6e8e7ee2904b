import { expect } from 'chai';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { UserId } from '../../../src/domain/connection/UserId.js';
import { ValidationError } from '../../../src/domain/shared/ValidationError.js';
import { humanRefusal } from '../../../src/entrypoints/standalone/http/routes/demoTokens.js';
import { startTestGateway } from '../../e2e/gateway/support/gatewayHarness.js';

function refusalOf(label: string, value: string | number | null | undefined, check: (value: unknown) => unknown): string {
  try {
    check(value);
  } catch (error) {
    if (error instanceof ValidationError) return humanRefusal(label, value ?? undefined, error, check);
    throw error;
  }
  throw new Error(`${String(value)} was accepted`);
}

describe('demo token endpoint: refusals written for people', () => {
  const user = (value: string | number | null | undefined): string => refusalOf('user name', value, (v) => UserId.of(v));
  const room = (value: string | number | null | undefined): string => refusalOf('room name', value, (v) => RoomId.of(v));

  it('names the characters that are not accepted instead of the pattern', () => {
    expect(user('bob smith')).to.equal('"bob smith" is not accepted as a user name: user names cannot contain spaces.');
    expect(room('a/b#c d/')).to.equal('"a/b#c d/" is not accepted as a room name: room names cannot contain "/", "#" or spaces.');
    expect(room('ops|1')).to.equal('"ops|1" is not accepted as a room name: room names cannot contain "|".');
    expect(user('tab\there')).to.equal('"tab\there" is not accepted as a user name: user names cannot contain line breaks or tabs.');
  });

  it('asks for a missing name, and states the other rules plainly', () => {
    expect(user('')).to.equal('Enter a user name.');
    expect(room('   ')).to.equal('Enter a room name.');
    expect(user(undefined)).to.equal('The user name must be text.');
    expect(user('a'.repeat(129))).to.equal('The user name must be at most 128 characters.');
    for (const text of [user('bob smith'), room('a/b')]) expect(text).to.not.match(/[\^$\\[\]]/);
  });

  it('answers 400 with that sentence over HTTP, and still issues tokens for good names', async () => {
    const gw = await startTestGateway();
    try {
      const post = (body: unknown): Promise<Response> =>
        fetch(`${gw.url}/local/demo/tokens`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const refused = await post({ user_id: 'bob smith', room_id: 'lobby' });
      expect(refused.status).to.equal(400);
      expect(await refused.json()).to.deep.equal({
        error: { code: 'VALIDATION_FAILED', message: '"bob smith" is not accepted as a user name: user names cannot contain spaces.' },
      });
      const issued = await post({ user_id: 'bob', room_id: 'lobby' });
      expect(issued.status).to.equal(201);
      expect(Object.keys((await issued.json()) as object)).to.have.members(['token', 'expires_at', 'websocket_url']);
    } finally {
      await gw.stop();
    }
  });
});
