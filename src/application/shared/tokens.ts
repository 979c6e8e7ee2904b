/** DI tokens of the ports every feature shares. Symbols, because esbuild emits no decorator metadata. */
export const SHARED_TOKENS = {
  Clock: Symbol.for('hermes.Clock'),
  IdGenerator: Symbol.for('hermes.IdGenerator'),
  Logger: Symbol.for('hermes.Logger'),
  Metrics: Symbol.for('hermes.Metrics'),
  SecretProvider: Symbol.for('hermes.SecretProvider'),
} as const;
