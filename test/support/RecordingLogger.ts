import type { LogAttributes, Logger } from '../../src/application/shared/ports/Logger.js';

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

export interface LogLine {
  readonly level: LogLevelName;
  readonly message: string;
  readonly attributes: LogAttributes;
}

/** A logger that keeps every line, for assertions on levels and messages; `text()` is everything written, to check nothing secret leaked. */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];

  debug(message: string, attributes: LogAttributes = {}): void {
    this.lines.push({ level: 'debug', message, attributes });
  }
  info(message: string, attributes: LogAttributes = {}): void {
    this.lines.push({ level: 'info', message, attributes });
  }
  warn(message: string, attributes: LogAttributes = {}): void {
    this.lines.push({ level: 'warn', message, attributes });
  }
  error(message: string, attributes: LogAttributes = {}): void {
    this.lines.push({ level: 'error', message, attributes });
  }

  text(): string {
    return this.lines.map((line) => `${line.message} ${JSON.stringify(line.attributes)}`).join('\n');
  }

  /** Lines at warn or error. */
  get problems(): Array<{ level: LogLevelName; message: string }> {
    return this.lines.filter((line) => line.level === 'warn' || line.level === 'error');
  }
}
