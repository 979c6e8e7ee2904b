/** DI tokens of the Port action runner's ports, settings and use cases. */
export const RUN_TOKENS = {
  PortApi: Symbol.for('hermes.PortApi'),
  PortCatalog: Symbol.for('hermes.PortCatalog'),
  RunLedger: Symbol.for('hermes.RunLedger'),
  ActionHandlerRegistry: Symbol.for('hermes.ActionHandlerRegistry'),
  Settings: Symbol.for('hermes.RunnerSettings'),
  HandleActionRun: Symbol.for('hermes.HandleActionRun'),
  ReportRunOutcome: Symbol.for('hermes.ReportRunOutcome'),
  RunStatusListener: Symbol.for('hermes.RunStatusListener'),
  /** Parse → HandleActionRun → ReportRunOutcome, for one message (the HTTP runs route). */
  RunProcessor: Symbol.for('hermes.RunProcessor'),
  /** The records of one partition (both Kafka paths). */
  PartitionRunner: Symbol.for('hermes.PartitionRunner'),
  ProvisionPortCatalog: Symbol.for('hermes.ProvisionPortCatalog'),
} as const;
