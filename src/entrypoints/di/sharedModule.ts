import { ContainerModule } from 'inversify';
import { SHARED_TOKENS } from '../../application/shared/tokens.js';
import { RandomIdGenerator } from '../../adapters/system/RandomIdGenerator.js';
import { secretProvider } from './adapters/secretProvider.js';
import type { Wiring } from './wiring.js';

/** Clock, ids, logging and secrets, shared by every feature. */
export function sharedModule(wiring: Wiring): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(SHARED_TOKENS.Clock).toConstantValue(wiring.clock);
    bind(SHARED_TOKENS.IdGenerator).toConstantValue(new RandomIdGenerator());
    bind(SHARED_TOKENS.Logger).toConstantValue(wiring.logger);
    bind(SHARED_TOKENS.Metrics).toConstantValue(wiring.metrics);
    // Secrets Manager for the secrets given by *_SECRET_ARN, the plain values for the others.
    bind(SHARED_TOKENS.SecretProvider).toDynamicValue(() => secretProvider(wiring));
  });
}
