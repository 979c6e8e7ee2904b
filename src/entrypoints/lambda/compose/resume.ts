import { ResumeRoom } from '../../../application/notifications/usecases/ResumeRoom.js';
import { powertoolsClientTracer } from '../../../adapters/tracing/PowertoolsTracing.js';
import type { HermesConfig } from '../../config/loadConfig.js';
import { connectionRepository } from '../../di/adapters/connectionStore.js';
import { connectionNotifier, connectionsEndpoint } from '../../di/adapters/notifier.js';
import { roomHistory } from '../../di/adapters/roomHistory.js';
import { createWiring, type WiringOverrides } from '../../di/wiring.js';
import type { ResumeHandlerDeps } from '../handlers/resume.js';
import { handlerLogging } from './logging.js';

/** The `resume` function's composition root: connection store, room history, notifier. */
export function composeResumeFunction(config: HermesConfig, overrides: WiringOverrides = {}): ResumeHandlerDeps {
  // DynamoDB and @connections calls traced in X-Ray.
  const wiring = createWiring(config, { traceClient: powertoolsClientTracer(), ...overrides });
  return {
    resume: new ResumeRoom(connectionRepository(wiring), roomHistory(wiring), connectionNotifier(wiring)),
    endpoint: connectionsEndpoint(wiring),
    ...handlerLogging(wiring),
  };
}
