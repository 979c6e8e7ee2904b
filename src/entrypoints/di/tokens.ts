/** DI tokens owned by the composition root: configuration and the objects only entrypoints use. */
export const ENTRYPOINT_TOKENS = {
  /** The environment snapshot the container was built from; feature modules parse their own variables from it. */
  Env: Symbol.for('hermes.Env'),
  CoreConfig: Symbol.for('hermes.CoreConfig'),
  /** Sockets held by this process (local gateway); the in-process notifier writes to them. */
  LocalConnectionRegistry: Symbol.for('hermes.LocalConnectionRegistry'),
  /** The `memory` queue, which the local event source polls. */
  InMemoryNotificationQueue: Symbol.for('hermes.InMemoryNotificationQueue'),
  /** Where the API Gateway notifier posts (`@connections`): configured, or observed from WebSocket events. */
  ConnectionsEndpoint: Symbol.for('hermes.ConnectionsEndpoint'),
} as const;
