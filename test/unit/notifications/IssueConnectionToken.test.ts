import { createHash } from 'node:crypto';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { compare } from 'bcryptjs';
import { NOTIFICATION_TOKENS } from '../../../src/application/notifications/tokens.js';
import type { IssueConnectionToken } from '../../../src/application/notifications/usecases/IssueConnectionToken.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { UserId } from '../../../src/domain/connection/UserId.js';
import { ValidationError } from '../../../src/domain/shared/ValidationError.js';
import { notificationCore, TEST_JWT_SECRET, TEST_PASSCODE } from '../../support/notificationCore.js';

describe('IssueConnectionToken', () => {
  it('signs an HS512 JWT carrying user, room, the SHA-256 inner token and exp', async () => {
    const core = notificationCore();
    const issued = await core.get<IssueConnectionToken>(NOTIFICATION_TOKENS.IssueConnectionToken).execute({ userId: 42, roomId: 'acme' });

    const decoded = jwt.verify(issued.token, TEST_JWT_SECRET, { algorithms: ['HS512'], complete: true });
    expect(decoded.header.alg).to.equal('HS512');
    const payload = decoded.payload as Record<string, unknown>;
    expect(payload['user_id']).to.equal('42');
    expect(payload['room_id']).to.equal('acme');
    expect(payload['token']).to.equal(createHash('sha256').update(`42${TEST_PASSCODE}acme`).digest('hex'));
    const lifetime = (payload['exp'] as number) - (payload['iat'] as number);
    expect(lifetime).to.equal(3600);
  });

  it('stores only the bcrypt hash of the inner token as the grant', async () => {
    const core = notificationCore();
    const issued = await core.get<IssueConnectionToken>(NOTIFICATION_TOKENS.IssueConnectionToken).execute({ userId: 'u1', roomId: 'r1' });
    const inner = (jwt.decode(issued.token) as Record<string, string>)['token'] as string;

    const grant = await core.grants.get(UserId.of('u1'), RoomId.of('r1'));
    expect(grant).to.not.equal(undefined);
    expect(grant?.tokenHash).to.not.include(inner);
    expect(grant?.tokenHash).to.match(/^\$2[aby]\$04\$/);
    expect(await compare(inner, grant?.tokenHash ?? '')).to.equal(true);
    expect(grant?.expiresAt.getTime()).to.equal(issued.expiresAt.getTime());
  });

  it('uses TOKEN_TTL_SECONDS for the token and grant lifetime', async () => {
    const core = notificationCore({ TOKEN_TTL_SECONDS: '120' });
    const issued = await core.get<IssueConnectionToken>(NOTIFICATION_TOKENS.IssueConnectionToken).execute({ userId: 'u1', roomId: 'r1' });
    const payload = jwt.decode(issued.token) as Record<string, number>;
    expect((payload['exp'] as number) - (payload['iat'] as number)).to.equal(120);
    expect(issued.expiresAt.getTime() - core.clock.now().getTime()).to.equal(120_000);
  });

  it('rejects invalid user and room ids with a validation error naming the field', async () => {
    const issue = notificationCore().get<IssueConnectionToken>(NOTIFICATION_TOKENS.IssueConnectionToken);
    for (const [input, field] of [
      [{ userId: '', roomId: 'r' }, 'user_id'],
      [{ userId: 'u', roomId: 'room with spaces' }, 'room_id'],
      [{ userId: { id: 1 }, roomId: 'r' }, 'user_id'],
      [{ userId: 'u', roomId: 'x'.repeat(129) }, 'room_id'],
    ] as const) {
      const error = await issue.execute(input).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(ValidationError);
      expect((error as ValidationError).field).to.equal(field);
      expect((error as ValidationError).code).to.equal('VALIDATION_FAILED');
    }
  });
});
