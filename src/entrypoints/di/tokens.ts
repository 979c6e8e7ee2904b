/** DI tokens owned by the composition root: configuration and the objects only entrypoints use. */
export const ENTRYPOINT_TOKENS = {
  /** The whole `HermesConfig` the container was built from. */
  Config: Symbol.for('hermes.Config'),
  CoreConfig: Symbol.for('hermes.CoreConfig'),
  /** Sockets held by this process (local gateway); the in-process notifier writes to them. */
  LocalConnectionRegistry: Symbol.for('hermes.LocalConnectionRegistry'),
  /** The `memory` queue, which the local event source polls. */
  InMemoryNotificationQueue: Symbol.for('hermes.InMemoryNotificationQueue'),
  /** Where the API Gateway notifier posts (`@connections`): configured, or observed from WebSocket events. */
  ConnectionsEndpoint: Symbol.for('hermes.ConnectionsEndpoint'),
} as const;
