import { createSendMessageHandler } from './handlers/sendMessage.js';
import { lambdaContainer } from './shared/lambdaContainer.js';

/** Lambda entry point; the container is built once per execution environment (module scope). */
export const handler = createSendMessageHandler(lambdaContainer());
