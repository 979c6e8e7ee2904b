import { errorMessage } from '../../domain/shared/HermesError.js';
import type { Logger } from '../shared/ports/Logger.js';
import type { PortApi } from './ports/PortApi.js';

const MAX_LOG_LENGTH = 4_000;

/**
 * The log lines of one run, sent to Port without holding the run up: each `log` starts its request
 * at once and `settle` waits for all of them, so they land before the final status. A line Port
 * refuses is reported in hermes's own log and does not fail the run. `hold` keeps the latest line
 * back instead (the one before it is sent), so it may end the run with the status in one call.
 */
export class RunLogPipeline {
  private readonly pending: Promise<void>[] = [];
  private held: string | undefined;

  constructor(
    private readonly port: PortApi,
    private readonly runId: string,
    private readonly logger: Logger,
  ) {}

  /** Sends `message`; `delivered` is called once Port has it. */
  log(message: string, delivered?: () => void): void {
    const line = bounded(message);
    this.pending.push(
      this.port.addRunLog(this.runId, line).then(
        () => delivered?.(),
        (error: unknown) => {
          this.logger.warn('A run log line was not delivered to Port', { runId: this.runId, error: errorMessage(error) });
        },
      ),
    );
  }

  /** Keeps `message` back as the run's last line so far; the line held before it is sent. */
  hold(message: string): void {
    this.flush();
    this.held = bounded(message);
  }

  /** Sends the held line, if any. */
  flush(): void {
    const held = this.take();
    if (held !== undefined) this.log(held);
  }

  /** The held line, no longer held: the caller sends it (with the run's terminal status). */
  take(): string | undefined {
    const held = this.held;
    this.held = undefined;
    return held;
  }

  /** Waits until every line sent so far is delivered or given up. Never rejects. */
  async settle(): Promise<void> {
    await Promise.all(this.pending);
  }
}

function bounded(message: string): string {
  return message.length <= MAX_LOG_LENGTH ? message : `${message.slice(0, MAX_LOG_LENGTH - 1)}…`;
}
