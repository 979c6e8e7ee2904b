import type { PortApi, PortEntity, RunUpdate, UpsertEntityOptions } from '../../application/runs/ports/PortApi.js';
import type { Metrics } from '../../application/shared/ports/Metrics.js';
import type { TerminalRunStatus } from '../../domain/runs/RunStatus.js';

/** The HTTP status a Port API error carries, if any. */
function statusOf(error: unknown): string {
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status === 'number' ? String(status) : 'error';
}

/** Counts every call to Port's REST API by operation and result (`hermes_port_api_requests_total`). */
export class MeteredPortApi implements PortApi {
  constructor(
    private readonly inner: PortApi,
    private readonly metrics: Metrics,
  ) {}

  upsertEntity(blueprint: string, entity: PortEntity, options?: UpsertEntityOptions): Promise<void> {
    return this.count('upsertEntity', () => this.inner.upsertEntity(blueprint, entity, options));
  }

  deleteEntity(blueprint: string, identifier: string, options?: { readonly runId?: string }): Promise<void> {
    return this.count('deleteEntity', () => this.inner.deleteEntity(blueprint, identifier, options));
  }

  updateRun(runId: string, update: RunUpdate): Promise<void> {
    return this.count('updateRun', () => this.inner.updateRun(runId, update));
  }

  addRunLog(runId: string, message: string, terminationStatus?: TerminalRunStatus): Promise<void> {
    return this.count('addRunLog', () => this.inner.addRunLog(runId, message, terminationStatus));
  }

  private async count(operation: string, call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.metrics.increment('hermes_port_api_requests_total', { operation, status: statusOf(error) });
      throw error;
    }
    this.metrics.increment('hermes_port_api_requests_total', { operation, status: 'ok' });
  }
}
