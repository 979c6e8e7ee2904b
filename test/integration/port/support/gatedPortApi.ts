import type { PortApi, PortEntity, RunUpdate, UpsertEntityOptions } from '../../../../src/application/runs/ports/PortApi.js';

/**
 * A PortApi in front of a real one that lets a test hold up or fail the final status of chosen
 * runs (`updateRun`), and see when each run got there (its handler ran and its outcome is recorded).
 */
export class GatedPortApi implements PortApi {
  /** Run ids in the order their report started. */
  readonly reportsStarted: string[] = [];
  /** Decides, per report, what happens before it goes to Port: a delay, a rejection, or nothing. */
  beforeReport: (runId: string) => Promise<void> = async () => undefined;
  /** Called once Port accepted a report. */
  afterReport: (runId: string) => void = () => undefined;

  constructor(private readonly inner: PortApi) {}

  upsertEntity(blueprint: string, entity: PortEntity, options?: UpsertEntityOptions): Promise<void> {
    return this.inner.upsertEntity(blueprint, entity, options);
  }

  deleteEntity(blueprint: string, identifier: string, options?: { readonly runId?: string }): Promise<void> {
    return this.inner.deleteEntity(blueprint, identifier, options);
  }

  async updateRun(runId: string, update: RunUpdate): Promise<void> {
    this.reportsStarted.push(runId);
    await this.beforeReport(runId);
    await this.inner.updateRun(runId, update);
    this.afterReport(runId);
  }

  addRunLog(runId: string, message: string): Promise<void> {
    return this.inner.addRunLog(runId, message);
  }
}
