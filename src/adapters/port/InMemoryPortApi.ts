import type { PortApi, PortEntity, RunUpdate, UpsertEntityOptions } from '../../application/runs/ports/PortApi.js';
import type { JsonObject, PortCatalog, UpsertDisposition } from '../../application/runs/ports/PortCatalog.js';
import { PortRequestRejectedError } from '../../application/runs/errors/PortRequestRejectedError.js';
import type { TerminalRunStatus } from '../../domain/runs/RunStatus.js';

/** What Port would show for one run. */
export interface RecordedRun {
  readonly runId: string;
  status: TerminalRunStatus | 'IN_PROGRESS';
  statusLabel?: string;
  summary?: string;
  link?: readonly string[];
  externalRunId?: string;
  readonly logs: string[];
  /** Every PATCH received, in order. */
  readonly updates: RunUpdate[];
  /** Log lines that ended the run (`terminationStatus`). */
  terminations: number;
}

export interface RecordedEntity extends PortEntity {
  readonly blueprint: string;
  readonly runId?: string;
}

type Method = 'upsertEntity' | 'deleteEntity' | 'updateRun' | 'addRunLog';

interface Fault {
  readonly method: Method;
  readonly error: () => Error;
  remaining: number;
}

/**
 * Port in process memory: records entities, runs (status, logs) and catalog definitions, so the
 * runner works with no Port account (`memory` profile, `hermes port simulate`) and tests can read
 * what a real Port would show. Faults can be injected per method.
 */
export class InMemoryPortApi implements PortApi, PortCatalog {
  readonly entities = new Map<string, RecordedEntity>();
  readonly runs = new Map<string, RecordedRun>();
  readonly blueprints = new Map<string, JsonObject>();
  readonly actions = new Map<string, JsonObject>();
  readonly calls: Record<Method, number> = { upsertEntity: 0, deleteEntity: 0, updateRun: 0, addRunLog: 0 };
  private readonly faults: Fault[] = [];

  /** Makes the next `times` calls of `method` reject with a fresh `error()`. */
  failNext(method: Method, error: () => Error, times = 1): void {
    this.faults.push({ method, error, remaining: times });
  }

  async upsertEntity(blueprint: string, entity: PortEntity, options: UpsertEntityOptions = {}): Promise<void> {
    this.enter('upsertEntity');
    const key = `${blueprint}/${entity.identifier}`;
    if (options.upsert === false && this.entities.has(key)) {
      throw new PortRequestRejectedError(`upsert entity ${key}`, 409, 'identifier_taken', undefined);
    }
    const kept = this.entities.get(key);
    const merged =
      kept !== undefined && (options.merge ?? true)
        ? {
            ...kept,
            ...entity,
            properties: { ...kept.properties, ...entity.properties },
            ...((kept.relations !== undefined || entity.relations !== undefined) && {
              relations: { ...kept.relations, ...entity.relations },
            }),
          }
        : entity;
    this.entities.set(key, { ...merged, blueprint, ...(options.runId !== undefined && { runId: options.runId }) });
  }

  async deleteEntity(blueprint: string, identifier: string): Promise<void> {
    this.enter('deleteEntity');
    this.entities.delete(`${blueprint}/${identifier}`);
  }

  async updateRun(runId: string, update: RunUpdate): Promise<void> {
    this.enter('updateRun');
    const run = this.run(runId);
    run.updates.push(update);
    if (update.status !== undefined) run.status = update.status;
    if (update.statusLabel !== undefined) run.statusLabel = update.statusLabel;
    if (update.summary !== undefined) run.summary = update.summary;
    if (update.link !== undefined) run.link = update.link;
    if (update.externalRunId !== undefined) run.externalRunId = update.externalRunId;
  }

  async addRunLog(runId: string, message: string, terminationStatus?: TerminalRunStatus): Promise<void> {
    this.enter('addRunLog');
    const run = this.run(runId);
    run.logs.push(message);
    if (terminationStatus !== undefined) {
      run.status = terminationStatus;
      run.terminations += 1;
    }
  }

  async upsertBlueprint(blueprint: JsonObject & { readonly identifier: string }): Promise<UpsertDisposition> {
    const existed = this.blueprints.has(blueprint.identifier);
    this.blueprints.set(blueprint.identifier, blueprint);
    return existed ? 'updated' : 'created';
  }

  async upsertAction(action: JsonObject & { readonly identifier: string }): Promise<UpsertDisposition> {
    const existed = this.actions.has(action.identifier);
    this.actions.set(action.identifier, action);
    return existed ? 'updated' : 'created';
  }

  /** The entity `blueprint/identifier`, if recorded. */
  entity(blueprint: string, identifier: string): RecordedEntity | undefined {
    return this.entities.get(`${blueprint}/${identifier}`);
  }

  private run(runId: string): RecordedRun {
    let run = this.runs.get(runId);
    if (run === undefined) {
      run = { runId, status: 'IN_PROGRESS', logs: [], updates: [], terminations: 0 };
      this.runs.set(runId, run);
    }
    return run;
  }

  private enter(method: Method): void {
    this.calls[method] += 1;
    const fault = this.faults.find((candidate) => candidate.method === method && candidate.remaining > 0);
    if (fault === undefined) return;
    fault.remaining -= 1;
    throw fault.error();
  }
}
