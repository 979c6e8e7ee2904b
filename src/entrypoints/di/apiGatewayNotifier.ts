import type { ContainerModuleLoadOptions } from 'inversify';
import * as z from 'zod';
import { ApiGatewayConnectionNotifier } from '../../adapters/aws/ApiGatewayConnectionNotifier.js';
import { ConnectionsEndpointResolver } from '../../adapters/aws/ConnectionsEndpointResolver.js';
import { NOTIFICATION_TOKENS } from '../../application/notifications/tokens.js';
import { loadAwsConfig } from '../config/awsConfig.js';
import type { CoreConfig } from '../config/coreConfig.js';
import type { Env } from '../config/Env.js';
import { parseEnv } from '../config/parseEnv.js';
import { ENTRYPOINT_TOKENS } from './tokens.js';

type Bind = ContainerModuleLoadOptions['bind'];

const schema = z.object({
  HERMES_CONNECTIONS_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://abc.execute-api.eu-west-1.amazonaws.com/production' })
    .optional(),
});

/** The local gateway does not check signatures; these keep the SDK from looking for real credentials. */
const LOCAL_GATEWAY_CREDENTIALS = { accessKeyId: 'hermes-local', secretAccessKey: 'hermes-local' } as const;
const LOCAL_GATEWAY_REGION = 'us-east-1';

/** The `@connections` endpoint resolver: HERMES_CONNECTIONS_ENDPOINT, else what WebSocket events tell the handlers. */
export function bindConnectionsEndpoint(bind: Bind): void {
  bind(ENTRYPOINT_TOKENS.ConnectionsEndpoint).toDynamicValue((ctx) => {
    const vars = parseEnv(schema, ctx.get<Env>(ENTRYPOINT_TOKENS.Env));
    return new ConnectionsEndpointResolver(vars.HERMES_CONNECTIONS_ENDPOINT?.replace(/\/+$/, ''));
  });
}

/** HERMES_NOTIFIER=apigateway: the real `ApiGatewayManagementApiClient`, on AWS or against the local gateway. */
export function bindApiGatewayNotifier(bind: Bind): void {
  bind(NOTIFICATION_TOKENS.ConnectionNotifier).toDynamicValue((ctx) => {
    const env = ctx.get<Env>(ENTRYPOINT_TOKENS.Env);
    const { profile } = ctx.get<CoreConfig>(ENTRYPOINT_TOKENS.CoreConfig);
    const aws = loadAwsConfig(env, profile);
    const local = profile === 'memory';
    const hasOwnCredentials = Boolean(env['AWS_ACCESS_KEY_ID'] && env['AWS_SECRET_ACCESS_KEY']);
    const credentials = aws.credentials ?? (local && !hasOwnCredentials ? LOCAL_GATEWAY_CREDENTIALS : undefined);
    const region = aws.region ?? (local ? LOCAL_GATEWAY_REGION : undefined);
    return new ApiGatewayConnectionNotifier({
      endpoint: ctx.get<ConnectionsEndpointResolver>(ENTRYPOINT_TOKENS.ConnectionsEndpoint),
      clientSettings: { ...(region ? { region } : {}), ...(credentials ? { credentials } : {}) },
    });
  });
}
