import type { ConnectionNotifier } from '../../../application/notifications/ports/ConnectionNotifier.js';
import { ApiGatewayConnectionNotifier } from '../../../adapters/aws/ApiGatewayConnectionNotifier.js';
import { ConnectionsEndpointResolver } from '../../../adapters/aws/ConnectionsEndpointResolver.js';
import { TokenBucket } from '../../../adapters/aws/TokenBucket.js';
import { InProcessConnectionNotifier } from '../../../adapters/memory/InProcessConnectionNotifier.js';
import { LocalConnectionRegistry } from '../../../adapters/memory/LocalConnectionRegistry.js';
import type { AdapterChoices } from '../../config/coreConfig.js';
import type { Wiring } from '../wiring.js';
import { redisAdapters } from './redisSlot.js';

/** The local gateway does not check signatures; these keep the SDK from looking for real credentials. */
const LOCAL_GATEWAY_CREDENTIALS = { accessKeyId: 'hermes-local', secretAccessKey: 'hermes-local' } as const;
const LOCAL_GATEWAY_REGION = 'us-east-1';

/** Sockets held by this process (local gateway); the in-process notifier writes to them. */
export function localConnectionRegistry(wiring: Wiring): LocalConnectionRegistry {
  return wiring.once('localConnections', () => new LocalConnectionRegistry());
}

/**
 * Where the API Gateway notifier posts (`@connections`): `HERMES_CONNECTIONS_ENDPOINT`, else what
 * the WebSocket events tell (the handlers of `$connect` and `sendMessage` report them), or the local
 * gateway's own address once it listens.
 */
export function connectionsEndpoint(wiring: Wiring): ConnectionsEndpointResolver {
  return wiring.once('connectionsEndpoint', () => new ConnectionsEndpointResolver(wiring.config.aws.connectionsEndpoint));
}

function apiGatewayNotifier(wiring: Wiring): ApiGatewayConnectionNotifier {
  const { aws, core, env } = wiring.config;
  const local = core.profile === 'memory';
  const hasOwnCredentials = Boolean(env['AWS_ACCESS_KEY_ID'] && env['AWS_SECRET_ACCESS_KEY']);
  const credentials = aws.credentials ?? (local && !hasOwnCredentials ? LOCAL_GATEWAY_CREDENTIALS : undefined);
  const region = aws.region ?? (local ? LOCAL_GATEWAY_REGION : undefined);
  return new ApiGatewayConnectionNotifier({
    endpoint: connectionsEndpoint(wiring),
    clientSettings: { ...(region ? { region } : {}), ...(credentials ? { credentials } : {}) },
    // HERMES_NOTIFIER_RPS: one bucket for every broadcast of this process.
    bucket: new TokenBucket({ ratePerSecond: aws.notifierRps ?? Number.POSITIVE_INFINITY }),
  });
}

const NOTIFIERS: Record<AdapterChoices['notifier'], (wiring: Wiring) => ConnectionNotifier> = {
  inprocess: (wiring) => new InProcessConnectionNotifier(localConnectionRegistry(wiring)),
  apigateway: apiGatewayNotifier,
  redis: (wiring) => redisAdapters(wiring).notifier(localConnectionRegistry(wiring)),
};

/** `HERMES_NOTIFIER`: how a notification reaches a connection. */
export function connectionNotifier(wiring: Wiring): ConnectionNotifier {
  return wiring.once('notifier', () => NOTIFIERS[wiring.config.core.adapters.notifier](wiring));
}
