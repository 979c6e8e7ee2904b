import { expect } from 'chai';
import { Connection } from '../../../src/domain/connection/Connection.js';
import { ConnectionId } from '../../../src/domain/connection/ConnectionId.js';
import { RoomId } from '../../../src/domain/connection/RoomId.js';
import { UserId } from '../../../src/domain/connection/UserId.js';
import { MAX_NOTIFICATION_BYTES, Notification } from '../../../src/domain/notification/Notification.js';
import { NotificationTooLargeError } from '../../../src/domain/notification/NotificationTooLargeError.js';
import { ValidationError } from '../../../src/domain/shared/ValidationError.js';

function rejects(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('value objects', () => {
  it('accept the identifiers real clients use', () => {
    expect(ConnectionId.of('L0SM9cOFvHcCIhw=').value).to.equal('L0SM9cOFvHcCIhw=');
    expect(RoomId.of('port-acme.prod:eu').value).to.equal('port-acme.prod:eu');
    expect(UserId.of('auth0|5f7c8ec7c33c6c004bbafe82').value).to.equal('auth0|5f7c8ec7c33c6c004bbafe82');
    expect(UserId.of('jane.doe+ops@example.com').value).to.equal('jane.doe+ops@example.com');
    expect(UserId.of(42).value).to.equal('42');
  });

  it('reject empty, oversized, mistyped and out-of-alphabet values, naming the field', () => {
    expect(rejects(() => RoomId.of('')).field).to.equal('room_id');
    expect(rejects(() => RoomId.of('a'.repeat(129))).field).to.equal('room_id');
    expect(rejects(() => RoomId.of('a/b')).field).to.equal('room_id');
    expect(rejects(() => UserId.of(null)).field).to.equal('user_id');
    expect(rejects(() => UserId.of(1.5)).field).to.equal('user_id');
    expect(rejects(() => UserId.of('a b')).field).to.equal('user_id');
    expect(rejects(() => ConnectionId.of('x\ny')).field).to.equal('connectionId');
  });

  it('compare by value', () => {
    expect(RoomId.of('a').equals(RoomId.of('a'))).to.equal(true);
    expect(RoomId.of('a').equals(RoomId.of('b'))).to.equal(false);
  });
});

describe('Connection', () => {
  it('expires at the gateway hard limit', () => {
    const connection = Connection.open({
      connectionId: ConnectionId.of('c'),
      roomId: RoomId.of('r'),
      userId: UserId.of('u'),
      connectedAt: new Date(0),
    });
    expect(connection.expiresAt.getTime()).to.equal(2 * 60 * 60 * 1000);
    expect(connection.isExpiredAt(new Date(2 * 60 * 60 * 1000 - 1))).to.equal(false);
    expect(connection.isExpiredAt(new Date(2 * 60 * 60 * 1000))).to.equal(true);
  });
});

describe('Notification', () => {
  const base = { id: 'n1', roomId: RoomId.of('r'), sentAt: new Date(0) };

  it('serializes once to the wire format', () => {
    const n = Notification.create({ ...base, type: 'info', senderUserId: UserId.of('u'), data: { a: 1 } });
    expect(JSON.parse(n.wire)).to.deep.equal({
      id: 'n1',
      type: 'info',
      room_id: 'r',
      user_id: 'u',
      sent_at: '1970-01-01T00:00:00.000Z',
      data: { a: 1 },
    });
  });

  it('refuses a message API Gateway would refuse (over 128 KB)', () => {
    expect(() => Notification.create({ ...base, type: 'info', data: 'x'.repeat(MAX_NOTIFICATION_BYTES) })).to.throw(
      NotificationTooLargeError,
    );
    expect(() => Notification.create({ ...base, type: 'info', data: 'x'.repeat(MAX_NOTIFICATION_BYTES - 200) })).to.not.throw();
  });

  it('refuses invalid types and data that is not JSON', () => {
    expect(rejects(() => Notification.create({ ...base, type: '', data: 1 })).field).to.equal('type');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(rejects(() => Notification.create({ ...base, type: 'info', data: cyclic as never })).field).to.equal('data');
  });

  it('infers the type from an explicit value, then from the payload, then defaults to message', () => {
    expect(Notification.inferType('warning', { type: 'info' })).to.equal('warning');
    expect(Notification.inferType(undefined, { type: 'danger', data: 'x' })).to.equal('danger');
    expect(Notification.inferType(undefined, 'plain text')).to.equal('message');
    expect(Notification.inferType(undefined, { type: 'not valid!' })).to.equal('message');
  });
});
