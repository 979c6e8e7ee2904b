/** DI tokens of the notification feature's ports, settings and use cases. */
export const NOTIFICATION_TOKENS = {
  ConnectionRepository: Symbol.for('hermes.ConnectionRepository'),
  ConnectionNotifier: Symbol.for('hermes.ConnectionNotifier'),
  TokenSigner: Symbol.for('hermes.TokenSigner'),
  TokenVerifier: Symbol.for('hermes.TokenVerifier'),
  SecretHasher: Symbol.for('hermes.SecretHasher'),
  ConnectionGrantStore: Symbol.for('hermes.ConnectionGrantStore'),
  NotificationQueue: Symbol.for('hermes.NotificationQueue'),
  Settings: Symbol.for('hermes.NotificationSettings'),
  IssueConnectionToken: Symbol.for('hermes.IssueConnectionToken'),
  AuthorizeConnection: Symbol.for('hermes.AuthorizeConnection'),
  RegisterConnection: Symbol.for('hermes.RegisterConnection'),
  UnregisterConnection: Symbol.for('hermes.UnregisterConnection'),
  BroadcastToRoom: Symbol.for('hermes.BroadcastToRoom'),
  RelayClientMessage: Symbol.for('hermes.RelayClientMessage'),
  PublishNotification: Symbol.for('hermes.PublishNotification'),
  DeliverQueuedNotification: Symbol.for('hermes.DeliverQueuedNotification'),
} as const;
