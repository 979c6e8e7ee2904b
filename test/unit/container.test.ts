import { expect } from 'chai';
import { NOTIFICATION_TOKENS } from '../../src/application/notifications/tokens.js';
import { AuthorizeConnection } from '../../src/application/notifications/usecases/AuthorizeConnection.js';
import { BroadcastToRoom } from '../../src/application/notifications/usecases/BroadcastToRoom.js';
import { DeliverQueuedNotification } from '../../src/application/notifications/usecases/DeliverQueuedNotification.js';
import { IssueConnectionToken } from '../../src/application/notifications/usecases/IssueConnectionToken.js';
import { PublishNotification } from '../../src/application/notifications/usecases/PublishNotification.js';
import { RegisterConnection } from '../../src/application/notifications/usecases/RegisterConnection.js';
import { RelayClientMessage } from '../../src/application/notifications/usecases/RelayClientMessage.js';
import { UnregisterConnection } from '../../src/application/notifications/usecases/UnregisterConnection.js';
import { RUN_TOKENS } from '../../src/application/runs/tokens.js';
import { HandleActionRun } from '../../src/application/runs/usecases/HandleActionRun.js';
import { ProvisionPortCatalog } from '../../src/application/runs/usecases/ProvisionPortCatalog.js';
import { ConfigurationError } from '../../src/entrypoints/config/ConfigurationError.js';
import { buildContainer } from '../../src/entrypoints/container.js';
import { SHARED_TOKENS } from '../../src/application/shared/tokens.js';
import type { PowertoolsLogger } from '../../src/adapters/logging/PowertoolsLogger.js';

describe('buildContainer', () => {
  it('resolves every use case on the memory profile', () => {
    const container = buildContainer('memory', { env: {} });
    const expected: Array<[symbol, new (...args: never[]) => unknown]> = [
      [NOTIFICATION_TOKENS.IssueConnectionToken, IssueConnectionToken],
      [NOTIFICATION_TOKENS.AuthorizeConnection, AuthorizeConnection],
      [NOTIFICATION_TOKENS.RegisterConnection, RegisterConnection],
      [NOTIFICATION_TOKENS.UnregisterConnection, UnregisterConnection],
      [NOTIFICATION_TOKENS.BroadcastToRoom, BroadcastToRoom],
      [NOTIFICATION_TOKENS.RelayClientMessage, RelayClientMessage],
      [NOTIFICATION_TOKENS.PublishNotification, PublishNotification],
      [NOTIFICATION_TOKENS.DeliverQueuedNotification, DeliverQueuedNotification],
      [RUN_TOKENS.HandleActionRun, HandleActionRun],
      [RUN_TOKENS.ProvisionPortCatalog, ProvisionPortCatalog],
    ];
    for (const [token, type] of expected) expect(container.get(token)).to.be.instanceOf(type);
  });

  it('names the offending variable when configuration is invalid', () => {
    expect(() => buildContainer('memory', { env: { TOKEN_TTL_SECONDS: 'soon', BCRYPT_COST: '99' } }))
      .to.throw(ConfigurationError)
      .with.property('message')
      .that.matches(/TOKEN_TTL_SECONDS: must be an integer/)
      .and.matches(/BCRYPT_COST: must be an integer between 4 and 15 \(got "99"\)/);
  });

  it('never echoes a secret in a configuration error', () => {
    expect(() => buildContainer('memory', { env: { JWT_SECRET: 'short-secret' } }))
      .to.throw(ConfigurationError)
      .with.property('message')
      .that.matches(/JWT_SECRET: must be at least 32 characters/)
      .and.not.include('short-secret');
  });

  it('requires the secrets outside the memory profile', () => {
    expect(() => buildContainer('aws', { env: {} })).to.throw(/JWT_SECRET: required with HERMES_PROFILE=aws/);
  });

  it('shares one instance of a use case across resolutions', () => {
    const container = buildContainer('memory', { env: {} });
    expect(container.get(NOTIFICATION_TOKENS.BroadcastToRoom)).to.equal(container.get(NOTIFICATION_TOKENS.BroadcastToRoom));
  });
});

describe('buildContainer logging', () => {
  it('takes the log level from the environment it is given', () => {
    const logger = buildContainer('memory', { env: { POWERTOOLS_LOG_LEVEL: 'error' } }).get<PowertoolsLogger>(SHARED_TOKENS.Logger);
    expect(logger.delegate.getLevelName()).to.equal('ERROR');
  });

  it('refuses an unknown log level, naming the variable', () => {
    expect(() => buildContainer('memory', { env: { POWERTOOLS_LOG_LEVEL: 'loud' } })).to.throw(/POWERTOOLS_LOG_LEVEL: must be one of/);
  });
});
