import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { readTokenIdentity } from '../../../src/entrypoints/client/tokenIdentity.js';

describe('readTokenIdentity', () => {
  it('reads user, room and expiry from a signed token without the secret', () => {
    const token = jwt.sign({ user_id: 'zoë', room_id: 'vault', token: 'inner' }, 'any secret', { algorithm: 'HS512', expiresIn: 60 });
    const identity = readTokenIdentity(` ${token} `);
    expect(identity?.userId).to.equal('zoë');
    expect(identity?.roomId).to.equal('vault');
    const seconds = (jwt.decode(token) as { exp: number }).exp;
    expect(identity?.expiresAt?.getTime()).to.equal(seconds * 1000);
  });

  it('accepts numeric user ids, and a token without exp', () => {
    const token = jwt.sign({ user_id: 42, room_id: 'lobby' }, 'k', { algorithm: 'HS256' });
    expect(readTokenIdentity(token)).to.deep.equal({ userId: '42', roomId: 'lobby' });
  });

  it('is undefined for anything that is not a JWT carrying a user or a room', () => {
    const b64 = (value: string | Buffer): string => Buffer.from(value).toString('base64url');
    const invalidUtf8 = b64(Buffer.from([0x7b, 0xff, 0x7d]));
    for (const token of [
      '',
      'abc',
      'a.b',
      'a.b.c',
      `x.${b64('not json')}.y`,
      `x.${b64('[1]')}.y`,
      `x.${b64('{"sub":"alice"}')}.y`,
      `x.${invalidUtf8}.y`,
    ]) {
      expect(readTokenIdentity(token), token).to.equal(undefined);
    }
  });
});
