import type { LogAttributes, Logger } from '../../src/application/shared/ports/Logger.js';

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

/** A logger that keeps every line, for assertions on levels and messages. */
export class RecordingLogger implements Logger {
  readonly lines: Array<{ level: LogLevelName; message: string; attributes: LogAttributes }> = [];

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

  /** Lines at warn or error. */
  get problems(): Array<{ level: LogLevelName; message: string }> {
    return this.lines.filter((line) => line.level === 'warn' || line.level === 'error');
  }
}
