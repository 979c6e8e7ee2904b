import { expect } from 'chai';
import { JsonWebTokenService } from '../../../../src/adapters/jwt/JsonWebTokenService.js';
import { MALFORMED_TOKENS } from '../../../support/malformedTokens.js';
import { TEST_JWT_SECRET } from '../../../support/notificationCore.js';

describe('JsonWebTokenService.verify on malformed tokens', () => {
  const service = new JsonWebTokenService({ get: async () => TEST_JWT_SECRET }, 30);

  for (const [name, token] of MALFORMED_TOKENS) {
    it(`resolves to a rejection, never throws, for ${name}`, async () => {
      const verification = await service.verify(token);
      expect(verification.valid).to.equal(false);
    });
  }

  it('calls the non-JSON payload under a typ JWT header malformed', async () => {
    const [, token] = MALFORMED_TOKENS[0] as readonly [string, string];
    expect(await service.verify(token)).to.deep.equal({ valid: false, reason: 'TOKEN_MALFORMED' });
  });
});
