import { Logger as PowertoolsBaseLogger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, Logger } from '../../application/shared/ports/Logger.js';
import { logCorrelation } from './logCorrelation.js';

const withCorrelation = (attributes: LogAttributes): LogAttributes => ({ ...logCorrelation(), ...attributes });

/**
 * Structured JSON logs through AWS Lambda Powertools. The level comes from `POWERTOOLS_LOG_LEVEL`
 * (or `AWS_LAMBDA_LOG_LEVEL`); only the attributes a caller passes are written, never the environment,
 * plus the correlation of the request being served (`withLogCorrelation`).
 */
export class PowertoolsLogger implements Logger {
  constructor(readonly delegate: PowertoolsBaseLogger = new PowertoolsBaseLogger({ serviceName: 'hermes' })) {}

  debug(message: string, attributes: LogAttributes = {}): void {
    this.delegate.debug(message, withCorrelation(attributes));
  }

  info(message: string, attributes: LogAttributes = {}): void {
    this.delegate.info(message, withCorrelation(attributes));
  }

  warn(message: string, attributes: LogAttributes = {}): void {
    this.delegate.warn(message, withCorrelation(attributes));
  }

  error(message: string, attributes: LogAttributes = {}): void {
    this.delegate.error(message, withCorrelation(attributes));
  }
}
