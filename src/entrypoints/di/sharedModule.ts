import { Logger as PowertoolsBaseLogger } from '@aws-lambda-powertools/logger';
import { ContainerModule } from 'inversify';
import type { SecretName } from '../../application/shared/ports/SecretProvider.js';
import { SHARED_TOKENS } from '../../application/shared/tokens.js';
import { PowertoolsLogger } from '../../adapters/logging/PowertoolsLogger.js';
import { StaticSecretProvider } from '../../adapters/secrets/StaticSecretProvider.js';
import { RandomIdGenerator } from '../../adapters/system/RandomIdGenerator.js';
import { SystemClock } from '../../adapters/system/SystemClock.js';
import type { CoreConfig } from '../config/coreConfig.js';
import { secretArnVariable } from '../config/secretArnVariable.js';
import { bindAwsServices, secretProviderFor } from './awsBindings.js';

/** Clock, ids, logging and secrets, shared by every feature. */
export function sharedModule(core: CoreConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(SHARED_TOKENS.Clock).toConstantValue(new SystemClock());
    bind(SHARED_TOKENS.IdGenerator).toConstantValue(new RandomIdGenerator());
    // The level comes from the container's own environment, so a gateway or test built with its env honours it.
    bind(SHARED_TOKENS.Logger).toDynamicValue(
      () => new PowertoolsLogger(new PowertoolsBaseLogger({ serviceName: 'hermes', ...(core.logLevel ? { logLevel: core.logLevel } : {}) })),
    );
    bindAwsServices(bind);
    // Secrets Manager for the secrets given by *_SECRET_ARN, the plain values for the others.
    bind(SHARED_TOKENS.SecretProvider).toDynamicValue((ctx) =>
      secretProviderFor(ctx, new StaticSecretProvider(core.secrets, (name: SecretName) => secretArnVariable(name))),
    );
  });
}
