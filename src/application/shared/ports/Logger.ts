/** Structured attributes of a log line. Callers pass only non-secret values. */
export type LogAttributes = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
}
