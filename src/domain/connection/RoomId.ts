import { validateIdentifier } from '../shared/Identifier.js';

const PATTERN = /^[A-Za-z0-9_\-.:@]+$/;

export class RoomId {
  private constructor(readonly value: string) {}

  static of(raw: unknown): RoomId {
    return new RoomId(validateIdentifier('room_id', raw, PATTERN, 128));
  }

  equals(other: RoomId): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }
}
