/** Claims of a connection token (the seed's JWT payload). */
export interface ConnectionTokenClaims {
  readonly user_id: string;
  readonly room_id: string;
  /** SHA-256 hex of user id + passcode + room id; its bcrypt hash is the stored grant. */
  readonly token: string;
}

export interface TokenSigner {
  /** A compact JWS (HS512) carrying the claims and `exp` = now + ttlSeconds. */
  sign(claims: ConnectionTokenClaims, ttlSeconds: number): Promise<string>;
}
