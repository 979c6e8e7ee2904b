import { Identifier, validateIdentifier } from '../shared/Identifier.js';

const PATTERN = /^[A-Za-z0-9_\-.:@]+$/;

export class RoomId extends Identifier {
  declare private readonly brand: 'room';

  static of(raw: unknown): RoomId {
    return new RoomId(validateIdentifier('room_id', raw, PATTERN, 128));
  }
}
