import jwt from 'jsonwebtoken';
import type { ConnectionTokenClaims, TokenSigner } from '../../application/notifications/ports/TokenSigner.js';
import type { TokenVerification, TokenVerifier } from '../../application/notifications/ports/TokenVerifier.js';
import type { SecretProvider } from '../../application/shared/ports/SecretProvider.js';

const ALGORITHM = 'HS512';

/** HS512 JWTs with `jsonwebtoken`; the algorithm is pinned on both sides, whatever the token's header says. */
export class JsonWebTokenService implements TokenSigner, TokenVerifier {
  constructor(
    private readonly secrets: SecretProvider,
    private readonly clockToleranceSeconds: number,
  ) {}

  async sign(claims: ConnectionTokenClaims, ttlSeconds: number): Promise<string> {
    const secret = await this.secrets.get('JWT_SECRET');
    return jwt.sign({ ...claims }, secret, { algorithm: ALGORITHM, expiresIn: ttlSeconds });
  }

  async verify(token: string): Promise<TokenVerification> {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null) {
      return { valid: false, reason: 'TOKEN_MALFORMED' };
    }
    if (decoded.header.alg !== ALGORITHM) return { valid: false, reason: 'TOKEN_ALGORITHM_NOT_ALLOWED' };
    const secret = await this.secrets.get('JWT_SECRET');
    try {
      const payload = jwt.verify(token, secret, { algorithms: [ALGORITHM], clockTolerance: this.clockToleranceSeconds });
      if (typeof payload !== 'object' || payload === null) return { valid: false, reason: 'TOKEN_MALFORMED' };
      return { valid: true, claims: payload as Record<string, unknown> };
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) return { valid: false, reason: 'TOKEN_EXPIRED' };
      if (error instanceof jwt.NotBeforeError) return { valid: false, reason: 'TOKEN_NOT_YET_VALID' };
      if (error instanceof jwt.JsonWebTokenError && error.message === 'invalid signature') {
        return { valid: false, reason: 'TOKEN_SIGNATURE_INVALID' };
      }
      if (error instanceof jwt.JsonWebTokenError) return { valid: false, reason: 'TOKEN_MALFORMED' };
      throw error;
    }
  }
}
