import type { NotificationComposition } from '../di/composeNotifications.js';
import { createAuthorizerHandler } from '../lambda/handlers/authorizer.js';
import { createConnectHandler } from '../lambda/handlers/connect.js';
import { createDefaultHandler } from '../lambda/handlers/default.js';
import { createDisconnectHandler } from '../lambda/handlers/disconnect.js';
import { createPresenceHandler } from '../lambda/handlers/presence.js';
import { createQueueHandler, type QueueHandler } from '../lambda/handlers/queue.js';
import { createResumeHandler } from '../lambda/handlers/resume.js';
import { createSendMessageHandler } from '../lambda/handlers/sendMessage.js';
import type { HandlerLogging } from '../lambda/shared/logging.js';
import type { InProcessFunctions, LambdaFunction } from './template/functionHost.js';

export interface HostedHandlers {
  /**
   * hermes' Lambda handlers by entry file (`src/entrypoints/lambda/<name>.ts`): a template function whose
   * esbuild entry point is that file runs this handler, on the gateway's composition. A new function
   * of hermes is one line here; its route comes from `template.yaml`.
   */
  readonly functions: InProcessFunctions;
  /** The queue handler, fed by the local event source mapping. */
  readonly queue: QueueHandler;
}

/** A typed Lambda handler as the gateway's untyped invocation (the template decides which events it gets). */
function hosted<E>(handler: (event: E) => Promise<unknown>): LambdaFunction {
  return handler as unknown as LambdaFunction;
}

/** The very Lambda handlers of `src/entrypoints/lambda`, given the gateway's notification composition. */
export function hostedHandlers(notifications: NotificationComposition): HostedHandlers {
  const logging: HandlerLogging = { logger: notifications.logger };
  const endpoint = notifications.connectionsEndpoint;
  return {
    functions: {
      authorizer: hosted(createAuthorizerHandler({ ...logging, authorize: notifications.authorize })),
      connect: hosted(createConnectHandler({ ...logging, register: notifications.register, endpoint })),
      disconnect: hosted(createDisconnectHandler({ ...logging, unregister: notifications.unregister })),
      sendMessage: hosted(createSendMessageHandler({ ...logging, relay: notifications.relay, endpoint })),
      resume: hosted(createResumeHandler({ ...logging, resume: notifications.resume, endpoint })),
      presence: hosted(createPresenceHandler({ ...logging, replyPresence: notifications.replyPresence, endpoint })),
      default: hosted(createDefaultHandler(logging)),
    },
    queue: createQueueHandler({ ...logging, deliver: notifications.deliver }),
  };
}
