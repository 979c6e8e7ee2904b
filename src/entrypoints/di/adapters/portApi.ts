import { InMemoryPortApi } from '../../../adapters/port/InMemoryPortApi.js';
import { PortApiClient } from '../../../adapters/port/PortApiClient.js';
import { portConfigOf, type PortApiMode, type PortConfig } from '../../config/portConfig.js';
import type { Wiring } from '../wiring.js';
import { secretProvider } from './secretProvider.js';

/** `InMemoryPortApi` or `PortApiClient`: each is both the PortApi and the PortCatalog. */
export type PortAdapter = InMemoryPortApi | PortApiClient;

function portClient(wiring: Wiring, config: PortConfig): PortApiClient {
  const secrets = secretProvider(wiring);
  const { clientId, clientSecret } = config.plainCredentials;
  return new PortApiClient({
    baseUrl: config.apiUrl,
    logger: wiring.logger,
    credentials: async () => ({
      clientId: clientId ?? (await secrets.get('PORT_CLIENT_ID')),
      clientSecret: clientSecret ?? (await secrets.get('PORT_CLIENT_SECRET')),
    }),
  });
}

const PORT_APIS: Record<PortApiMode, (wiring: Wiring, config: PortConfig) => PortAdapter> = {
  memory: () => new InMemoryPortApi(),
  http: portClient,
};

/** `HERMES_PORT_API`: Port simulated in process, or its REST API. Reads the Port section (ConfigurationError when invalid). */
export function portAdapter(wiring: Wiring): PortAdapter {
  return wiring.once('port', () => {
    const config = portConfigOf(wiring.config);
    return PORT_APIS[config.apiMode](wiring, config);
  });
}
