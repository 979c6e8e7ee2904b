/** DI tokens of the Port action runner's ports, settings and use cases. */
export const RUN_TOKENS = {
  PortApi: Symbol.for('hermes.PortApi'),
  PortCatalog: Symbol.for('hermes.PortCatalog'),
  RunLedger: Symbol.for('hermes.RunLedger'),
  ActionHandlerRegistry: Symbol.for('hermes.ActionHandlerRegistry'),
  Settings: Symbol.for('hermes.RunnerSettings'),
  HandleActionRun: Symbol.for('hermes.HandleActionRun'),
  ProvisionPortCatalog: Symbol.for('hermes.ProvisionPortCatalog'),
} as const;
