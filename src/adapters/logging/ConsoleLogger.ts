import type { LogAttributes, Logger } from '../../application/shared/ports/Logger.js';
import { logCorrelation } from './logCorrelation.js';

export type ConsoleLogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'CRITICAL' | 'SILENT';

const RANK: Readonly<Record<ConsoleLogLevel, number>> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4, CRITICAL: 5, SILENT: 6 };
const COLOURS: Readonly<Record<string, string>> = { DEBUG: '\u001b[90m', INFO: '\u001b[36m', WARN: '\u001b[33m', ERROR: '\u001b[31m' };
const RESET = '\u001b[0m';

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return typeof value === 'string' && /[\s"=]/.test(value) ? JSON.stringify(value) : (text ?? String(value));
}

/**
 * One human-readable line per log call (`12:04:05.123 INFO  gateway listening url=http://...`),
 * for `npm start` on a developer's terminal; everywhere else hermes logs JSON through Powertools.
 */
export class ConsoleLogger implements Logger {
  constructor(
    private readonly level: ConsoleLogLevel = 'INFO',
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
    private readonly colours = process.stdout.isTTY === true,
  ) {}

  debug(message: string, attributes?: LogAttributes): void {
    this.log('DEBUG', message, attributes);
  }

  info(message: string, attributes?: LogAttributes): void {
    this.log('INFO', message, attributes);
  }

  warn(message: string, attributes?: LogAttributes): void {
    this.log('WARN', message, attributes);
  }

  error(message: string, attributes?: LogAttributes): void {
    this.log('ERROR', message, attributes);
  }

  private log(level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR', message: string, attributes: LogAttributes = {}): void {
    if (RANK[level] < RANK[this.level]) return;
    const time = new Date().toISOString().slice(11, 23);
    const fields = Object.entries({ ...logCorrelation(), ...attributes })
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${shown(value)}`)
      .join(' ');
    const label = level.padEnd(5);
    const coloured = this.colours ? `${COLOURS[level] ?? ''}${label}${RESET}` : label;
    this.write(`${time} ${coloured} ${message}${fields ? ` ${fields}` : ''}`);
  }
}
