export type TokenRejection =
  'TOKEN_MALFORMED' | 'TOKEN_ALGORITHM_NOT_ALLOWED' | 'TOKEN_SIGNATURE_INVALID' | 'TOKEN_EXPIRED' | 'TOKEN_NOT_YET_VALID';

export type TokenVerification =
  { readonly valid: true; readonly claims: Readonly<Record<string, unknown>> } | { readonly valid: false; readonly reason: TokenRejection };

export interface TokenVerifier {
  /** Checks signature (HS512 only), `exp` and `nbf`; never rejects for a bad token. */
  verify(token: string): Promise<TokenVerification>;
}
