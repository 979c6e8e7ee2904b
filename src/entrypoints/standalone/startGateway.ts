import { runsRoomOf } from '../config/portConfig.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Container } from 'inversify';
import { defaultPoolSize, WorkerPoolSecretHasher } from '../../adapters/bcrypt/WorkerPoolSecretHasher.js';
import type { SecretHasher } from '../../application/notifications/ports/SecretHasher.js';
import { NOTIFICATION_TOKENS } from '../../application/notifications/tokens.js';
import type { PartitionRunner } from '../../application/runs/PartitionRunner.js';
import type { RunProcessor } from '../../application/runs/RunProcessor.js';
import { RUN_TOKENS } from '../../application/runs/tokens.js';
import type { SecretProvider } from '../../application/shared/ports/SecretProvider.js';
import { SHARED_TOKENS } from '../../application/shared/tokens.js';
import { containerFor, wiringFor, type ContainerValues } from '../container.js';
import type { Profile } from '../config/coreConfig.js';
import type { DevSecrets } from '../config/devSecrets.js';
import type { Env } from '../config/Env.js';
import { kafkaConfigured, kafkaSection } from '../config/kafkaConfig.js';
import { loadConfig } from '../config/loadConfig.js';
import { portSection } from '../config/portConfig.js';
import { composeNotifications } from '../di/composeNotifications.js';
import { type RunningActionRunner, startActionRunnerIfConfigured } from '../runner/startActionRunner.js';
import { hasRunnerExtensions, loadRunnerExtensions } from '../runner/loadRunnerExtensions.js';
import { PORT_RUNNER_TOKENS } from '../di/portRunnerModule.js';
import type { RunCancellation } from '../../application/runs/RunCancellation.js';
import { gatewaySection, type GatewayConfigOverrides } from './config/gatewayConfig.js';
import { type HostedHandlers, hostedHandlers } from './hostedHandlers.js';
import type { GatewayContext } from './http/GatewayContext.js';
import { adminGuard } from './http/adminAuth.js';
import { HttpRouter } from './http/HttpRouter.js';
import { HTTP_ROUTES } from './http/routes/index.js';
import { type EventSourceMappingOptions, LocalEventSourceMapping } from './queue/LocalEventSourceMapping.js';
import { queueSource } from './queue/selectQueueSource.js';
import { HostedFunctions, importFresh, type InProcessFunctions } from './template/functionHost.js';
import { hostedApi } from './template/hostedApi.js';
import { readWebSocketApi } from './template/webSocketApi.js';
import { throttleOf } from './websocket/TokenBucket.js';
import { WebSocketGateway } from './websocket/WebSocketGateway.js';
import { redisAdaptersIfUsed } from '../di/adapters/redisSlot.js';
import { type RedisNode, startRedisNode } from './redisNode.js';

export interface StartGatewayOptions extends GatewayConfigOverrides {
  /** Variables to read instead of `process.env`. */
  readonly env?: Env;
  /** Profile instead of HERMES_PROFILE. */
  readonly profile?: Profile;
  /** Constant values replacing what the profile binds to these tokens (test doubles). */
  readonly values?: ContainerValues;
  /** Where generated development secrets are kept (`hermes start`: a git-ignored local file); default: this process only. */
  readonly devSecrets?: DevSecrets;
  /** Tuning of the local SQS event source mapping, or `false` to run without it. */
  readonly eventSource?: Partial<EventSourceMappingOptions> | false;
  /** Start the Port action runner when it is configured (default true). */
  readonly actionRunner?: boolean;
  /** How long a shutdown waits for clients to answer the close handshake. */
  readonly shutdownGraceMs?: number;
  /** `--watch`: reload a handler when its source changes, keeping connections open. */
  readonly watch?: boolean;
}

export interface RunningGateway {
  /** `http://host:port`: the demo page, the backend endpoints, `@connections`. */
  readonly url: string;
  /** `ws://host:port/{stage}`: where clients connect (with `?token=`). */
  readonly websocketUrl: string;
  readonly host: string;
  readonly port: number;
  readonly stage: string;
  readonly profile: Profile;
  /** Bearer key of the backend endpoints; printed by `hermes start` only when generated. */
  readonly adminKey: string;
  readonly adminKeyGenerated: boolean;
  /** Secrets generated because they were not configured (`memory` profile). */
  readonly generatedSecrets: readonly string[];
  /** The composition's container: a seam for tests and benchmarks only (routes and handlers never see it). */
  readonly container: Container;
  readonly websocket: WebSocketGateway;
  /** The template's functions as loaded (`reload()` is what `--watch` calls). */
  readonly functions: HostedFunctions;
  /** This gateway as a node sharing Redis with others (`redis` adapters): its id, Redis health check. */
  readonly redisNode: RedisNode | undefined;
  /** Graceful shutdown: no new connections, sockets closed with 1001, `$disconnect` run for each. Idempotent. */
  stop(): Promise<void>;
}

/** `HERMES_ACTION_HANDLERS` or `HERMES_INVOCATIONS` set: the runner's Port section is read (and the modules loaded) at start-up. */
function runnerExtensionsNamed(env: Env): boolean {
  return [env['HERMES_ACTION_HANDLERS'], env['HERMES_INVOCATIONS']].some((value) => (value ?? '').trim() !== '');
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is already in use: set HERMES_PORT (0 picks a free port)`) : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * Starts the local API Gateway stand-in on one port: the WebSocket API hosting the Lambda handlers,
 * its `@connections` API, the backend HTTP endpoints, the demo page, and the event source mapping
 * that feeds queued notifications to the `queue` handler.
 */
export async function startGateway(options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const env = options.env ?? { ...process.env };
  const withRunner = options.actionRunner !== false && (kafkaConfigured(env) || runnerExtensionsNamed(env));
  // The gateway serves many connects at once: bcrypt on worker threads unless HERMES_AUTH_WORKERS says otherwise.
  const configEnv = env['HERMES_AUTH_WORKERS'] === undefined ? { ...env, HERMES_AUTH_WORKERS: String(defaultPoolSize()) } : env;
  // One read of the configuration: core, AWS, gateway and (when it starts) the runner, every problem at once.
  const hermes = loadConfig(configEnv, {
    ...(options.profile ? { profile: options.profile } : {}),
    sections: [gatewaySection(options), ...(withRunner ? [kafkaSection, portSection] : [])],
    ...(options.devSecrets ? { devSecrets: options.devSecrets } : {}),
  });
  const config = hermes.gateway;
  if (config === undefined) throw new Error('the gateway section was not read');
  const core = hermes.core;
  // Handler modules and webhook mappings load before anything serves: a bad one stops start-up, naming it.
  const extensions =
    hermes.port !== undefined && hasRunnerExtensions(hermes.port) ? await loadRunnerExtensions(hermes.port, env) : undefined;
  const values: ContainerValues = [
    ...(options.values ?? []),
    ...(extensions ? ([[PORT_RUNNER_TOKENS.Extensions, extensions]] as const) : []),
  ];
  const wiring = wiringFor(hermes, values);
  const container = containerFor(hermes, wiring, values);
  const notifications = composeNotifications(container);
  const logger = wiring.logger;
  const handlers = hostedHandlers(notifications);
  // The WebSocket API (routes, authorizer, route responses, handlers) as the template declares it.
  const definition = readWebSocketApi(resolve(config.template));
  const functions = new HostedFunctions({
    definition,
    inProcess: ownHandlers(handlers, notifications),
    logger: wiring.logger,
    timeoutMs: config.limits.integrationTimeoutMs,
  });
  await functions.reload();
  const region = env['AWS_REGION'] ?? 'local';
  // One run pipeline for the HTTP runs route and the Kafka consumer, composed on first use (Port settings are read then).
  const runProcessor = (): RunProcessor => container.get<RunProcessor>(RUN_TOKENS.RunProcessor);

  let domainName = `${urlHost(config.host)}:${config.port}`;
  let redisNode: RedisNode | undefined;
  const websocket = new WebSocketGateway({
    isAvailable: () => redisNode?.isAvailable() ?? true,
    api: { apiId: 'hermes', stage: config.stage, region, accountId: '000000000000', domainName: () => domainName },
    limits: config.limits,
    routes: hostedApi(definition, functions),
    registry: notifications.registry,
    logger,
    newConnections: throttleOf(config.throttling.newConnectionsRps),
  });

  const router = new HttpRouter(logger);
  let runner: RunningActionRunner | undefined;
  const context: GatewayContext = {
    runnerStatus: () => runner?.status(),
    runsRoom: runsRoomOf(env),
    profile: core.profile,
    useCases: {
      issueToken: notifications.issueToken,
      publish: notifications.publish,
      getHistory: notifications.getHistory,
      getPresence: notifications.getPresence,
      runProcessor,
    },
    config,
    logger,
    websocket,
    websocketUrl: () => `ws://${domainName}/${config.stage}`,
    requireAdmin: adminGuard(config.adminKey),
    stagePath: (path) => `/${config.stage}${path}`,
    otherNodes: () => redisNode?.otherNodes,
  };
  for (const register of HTTP_ROUTES) register(router, context);

  // Several gateway nodes on one Redis: join them before accepting anything.
  const redis = redisAdaptersIfUsed(wiring);
  if (redis) {
    redisNode = await startRedisNode({ redis, websocket, logger, forget: (id) => notifications.unregister.execute(id) });
  }
  const server = createServer((req, res) => void router.handle(req, res));
  server.on('upgrade', websocket.handleUpgrade);
  await listen(server, config.port, config.host);
  const { port } = server.address() as AddressInfo;
  domainName = `${urlHost(config.host)}:${port}`;
  // The API Gateway notifier (HERMES_NOTIFIER=apigateway) posts to this gateway's own @connections API.
  notifications.connectionsEndpoint.observe(domainName, config.stage);

  let mapping: LocalEventSourceMapping | undefined;
  try {
    if (options.eventSource !== false) {
      mapping = new LocalEventSourceMapping(queueSource(wiring), handlers.queue, logger, {
        region,
        ...options.eventSource,
      });
      mapping.start();
    }
    if (options.actionRunner !== false) {
      runner = startActionRunnerIfConfigured({
        env,
        logger,
        partitionRunner: () => container.get<PartitionRunner>(RUN_TOKENS.PartitionRunner),
        cancellation: () => container.get<RunCancellation>(PORT_RUNNER_TOKENS.Cancellation),
        ...(hermes.port !== undefined && { shutdownGraceMs: hermes.port.shutdownGraceMs }),
        secrets: () => container.get<SecretProvider>(SHARED_TOKENS.SecretProvider),
      });
    }
  } catch (error) {
    await mapping?.stop();
    await websocket.close(0);
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }

  const unwatch = options.watch ? functions.watch() : undefined;
  logger.info('gateway listening', { url: `http://${domainName}`, stage: config.stage, profile: core.profile, template: config.template });
  if (!isLoopback(config.host)) {
    // API Gateway signs @connections calls with IAM; this stand-in does not check them.
    logger.warn(
      'the gateway listens beyond this machine: its @connections API (and, in memory, the demo token endpoint) needs no credentials',
      {
        host: config.host,
      },
    );
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      unwatch?.();
      const closed = new Promise((done) => server.close(done));
      await mapping?.stop();
      await runner?.stop();
      await websocket.close(options.shutdownGraceMs);
      server.closeAllConnections();
      await closed;
      // The bcrypt worker pool (HERMES_AUTH_WORKERS), when the container made one.
      const hasher = container.get<SecretHasher>(NOTIFICATION_TOKENS.SecretHasher);
      if (hasher instanceof WorkerPoolSecretHasher) await hasher.close();
      await redisNode?.stop();
      logger.info('gateway stopped', { url: `http://${domainName}` });
    })();
    return stopping;
  };

  return {
    url: `http://${domainName}`,
    websocketUrl: `ws://${domainName}/${config.stage}`,
    host: config.host,
    port,
    stage: config.stage,
    profile: core.profile,
    adminKey: config.adminKey,
    adminKeyGenerated: config.adminKeyGenerated,
    generatedSecrets: core.generatedSecrets,
    container,
    websocket,
    functions,
    redisNode,
    stop,
  };
}

/**
 * hermes' own handlers for the template's functions: the ones composed at start-up, then (on a
 * `--watch` reload) those of a fresh import of `hostedHandlers`, on the same composition.
 */
function ownHandlers(initial: HostedHandlers, notifications: ReturnType<typeof composeNotifications>): () => Promise<InProcessFunctions> {
  let loads = 0;
  const self = fileURLToPath(import.meta.url);
  const modulePath = resolve(self, '..', `hostedHandlers${extname(self)}`);
  return async () => {
    loads += 1;
    if (loads === 1) return initial.functions;
    const namespace = await importFresh(modulePath, loads, new Set());
    const reloaded = namespace['hostedHandlers'] as typeof hostedHandlers;
    return reloaded(notifications).functions;
  };
}
