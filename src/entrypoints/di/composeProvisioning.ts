import type { HermesConfig } from '../config/loadConfig.js';
import type { ProvisionClients } from '../provision/provision.js';
import { dynamoClient, secretsManagerClient, sqsClient } from './adapters/awsClients.js';
import { createWiring } from './wiring.js';

/** The SDK clients `hermes provision` needs, from the configuration; `close` releases their sockets. */
export function composeProvisioning(config: HermesConfig, withSecrets: boolean): ProvisionClients & { close(): void } {
  const wiring = createWiring(config);
  const clients = {
    dynamodb: dynamoClient(wiring),
    sqs: sqsClient(wiring),
    ...(withSecrets ? { secretsManager: secretsManagerClient(wiring) } : {}),
  };
  return {
    ...clients,
    close: () => {
      clients.dynamodb.destroy();
      clients.sqs.destroy();
      clients.secretsManager?.destroy();
    },
  };
}
