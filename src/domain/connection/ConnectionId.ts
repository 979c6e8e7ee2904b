import { validateIdentifier } from '../shared/Identifier.js';

/** API Gateway connection ids are base64-like (`L0SM9cOFvHcCIhw=`); local ones are URL-safe. */
const PATTERN = /^[A-Za-z0-9+/=_\-.:]+$/;

export class ConnectionId {
  private constructor(readonly value: string) {}

  static of(raw: unknown): ConnectionId {
    return new ConnectionId(validateIdentifier('connectionId', raw, PATTERN, 128));
  }

  equals(other: ConnectionId): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }
}
