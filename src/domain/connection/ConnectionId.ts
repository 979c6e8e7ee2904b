import { Identifier, validateIdentifier } from '../shared/Identifier.js';

/** API Gateway connection ids are base64-like (`L0SM9cOFvHcCIhw=`); local ones are URL-safe. */
const PATTERN = /^[A-Za-z0-9+/=_\-.:]+$/;

export class ConnectionId extends Identifier {
  declare private readonly brand: 'connection';

  static of(raw: unknown): ConnectionId {
    return new ConnectionId(validateIdentifier('connectionId', raw, PATTERN, 128));
  }
}
