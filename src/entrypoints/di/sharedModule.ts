import { ContainerModule } from 'inversify';
import type { SecretName } from '../../application/shared/ports/SecretProvider.js';
import { SHARED_TOKENS } from '../../application/shared/tokens.js';
import { PowertoolsLogger } from '../../adapters/logging/PowertoolsLogger.js';
import { StaticSecretProvider } from '../../adapters/secrets/StaticSecretProvider.js';
import { RandomIdGenerator } from '../../adapters/system/RandomIdGenerator.js';
import { SystemClock } from '../../adapters/system/SystemClock.js';
import { ConfigurationError } from '../config/ConfigurationError.js';
import type { CoreConfig } from '../config/coreConfig.js';
import { secretArnVariable } from '../config/secretArnVariable.js';

/** Clock, ids, logging and secrets, shared by every feature. */
export function sharedModule(core: CoreConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(SHARED_TOKENS.Clock).toConstantValue(new SystemClock());
    bind(SHARED_TOKENS.IdGenerator).toConstantValue(new RandomIdGenerator());
    bind(SHARED_TOKENS.Logger).toDynamicValue(() => new PowertoolsLogger());
    bind(SHARED_TOKENS.SecretProvider).toDynamicValue(() => {
      if (Object.keys(core.secretArns).length > 0) {
        throw new ConfigurationError(['*_SECRET_ARN: AWS Secrets Manager is not supported by this build yet']);
      }
      return new StaticSecretProvider(core.secrets, (name: SecretName) => secretArnVariable(name));
    });
  });
}
