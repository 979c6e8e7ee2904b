import { AuthorizeConnection } from '../../../application/notifications/usecases/AuthorizeConnection.js';
import { BcryptSecretHasher } from '../../../adapters/bcrypt/BcryptSecretHasher.js';
import { HashedVerifiedTokenCache } from '../../../adapters/bcrypt/HashedVerifiedTokenCache.js';
import { JsonWebTokenService } from '../../../adapters/jwt/JsonWebTokenService.js';
import type { HermesConfig } from '../../config/loadConfig.js';
import { connectionGrantStore } from '../../di/adapters/grantStore.js';
import { secretProvider } from '../../di/adapters/secretProvider.js';
import { createWiring, type WiringOverrides } from '../../di/wiring.js';
import type { AuthorizerHandlerDeps } from '../handlers/authorizer.js';
import { handlerLogging } from './logging.js';

/** The authorizer function's composition root: token verifier, bcrypt, grant store, secrets. Nothing else is bundled. */
export function composeAuthorizerFunction(config: HermesConfig, overrides: WiringOverrides = {}): AuthorizerHandlerDeps {
  const wiring = createWiring(config, overrides);
  const { notification, bcryptCost } = config.core;
  const tokens = new JsonWebTokenService(secretProvider(wiring), notification.clockSkewSeconds);
  // One request at a time per environment: bcrypt stays on the event loop; warm invocations reuse verified tokens.
  const authorize = new AuthorizeConnection(
    tokens,
    new BcryptSecretHasher(bcryptCost),
    connectionGrantStore(wiring),
    wiring.clock,
    notification,
    new HashedVerifiedTokenCache(config.core.authCacheSize),
  );
  return { authorize, ...handlerLogging(wiring) };
}
