import type { Container } from 'inversify';
import type { Context } from 'aws-lambda';
import { PowertoolsLogger } from '../../../adapters/logging/PowertoolsLogger.js';
import type { Logger } from '../../../application/shared/ports/Logger.js';
import { SHARED_TOKENS } from '../../../application/shared/tokens.js';

export interface HandlerLogger {
  readonly logger: Logger;
  /** Adds the Lambda context (request id, function name, cold start) to the following log lines. */
  withContext(context: Context | undefined): void;
}

/** The container's logger, plus Powertools' Lambda context when it is a Powertools logger. */
export function handlerLogger(container: Container): HandlerLogger {
  const logger = container.get<Logger>(SHARED_TOKENS.Logger);
  return {
    logger,
    withContext(context) {
      if (context && logger instanceof PowertoolsLogger) logger.delegate.addContext(context);
    },
  };
}
