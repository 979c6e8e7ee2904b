import jwt from 'jsonwebtoken';
import type { ConnectionTokenClaims, TokenSigner } from '../../application/notifications/ports/TokenSigner.js';
import type { TokenVerification, TokenVerifier } from '../../application/notifications/ports/TokenVerifier.js';
import type { SecretProvider } from '../../application/shared/ports/SecretProvider.js';

const ALGORITHM = 'HS512';
const MALFORMED: TokenVerification = { valid: false, reason: 'TOKEN_MALFORMED' };

/**
 * `jwt.decode` throws (a SyntaxError from `jws`) when the header says `typ: JWT` and the payload is
 * not JSON; any token it cannot read is malformed, never an error of the verifier.
 */
function decodeOrUndefined(token: string): jwt.Jwt | undefined {
  try {
    const decoded = jwt.decode(token, { complete: true });
    return decoded !== null && typeof decoded === 'object' ? decoded : undefined;
  } catch {
    return undefined;
  }
}

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
    const decoded = decodeOrUndefined(token);
    if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null) return MALFORMED;
    if (decoded.header.alg !== ALGORITHM) return { valid: false, reason: 'TOKEN_ALGORITHM_NOT_ALLOWED' };
    const secret = await this.secrets.get('JWT_SECRET');
    try {
      const payload = jwt.verify(token, secret, { algorithms: [ALGORITHM], clockTolerance: this.clockToleranceSeconds });
      if (typeof payload !== 'object' || payload === null) return MALFORMED;
      return { valid: true, claims: payload };
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) return { valid: false, reason: 'TOKEN_EXPIRED' };
      if (error instanceof jwt.NotBeforeError) return { valid: false, reason: 'TOKEN_NOT_YET_VALID' };
      if (error instanceof jwt.JsonWebTokenError && error.message === 'invalid signature') {
        return { valid: false, reason: 'TOKEN_SIGNATURE_INVALID' };
      }
      // The secret is already in hand: whatever `verify` throws is about the token itself.
      return MALFORMED;
    }
  }
}
