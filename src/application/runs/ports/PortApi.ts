import type { JsonValue } from '../../../domain/shared/Json.js';
import type { TerminalRunStatus } from '../../../domain/runs/RunStatus.js';

/** An entity of Port's software catalog. */
export interface PortEntity {
  readonly identifier: string;
  readonly title?: string;
  readonly properties: Readonly<Record<string, JsonValue>>;
  readonly relations?: Readonly<Record<string, JsonValue>>;
}

export interface UpsertEntityOptions {
  /** Links the entity to the run that created it (`run_id` query parameter). */
  readonly runId?: string;
  /** Replace an existing entity with the same identifier instead of failing (default true). */
  readonly upsert?: boolean;
  /**
   * With `upsert`: keep the properties and relations of an existing entity that this upsert does not
   * name, so fields other systems changed survive (`merge` query parameter; default true). False
   * replaces the whole entity.
   */
  readonly merge?: boolean;
}

/** Fields of `PATCH /v1/actions/runs/{id}`. */
export interface RunUpdate {
  readonly status?: TerminalRunStatus;
  readonly statusLabel?: string;
  readonly summary?: string;
  readonly link?: readonly string[];
  readonly externalRunId?: string;
}

/**
 * The part of Port's REST API a runner uses. Implementations authenticate, retry what is safe to
 * retry, and reject with a Port API error: `PortUnavailableError` / `PortAuthenticationError`
 * (retryable) or `PortRequestRejectedError` (permanent).
 */
export interface PortApi {
  /** `POST /v1/blueprints/{blueprint}/entities?upsert=true&merge=true&run_id=...` */
  upsertEntity(blueprint: string, entity: PortEntity, options?: UpsertEntityOptions): Promise<void>;
  /** `DELETE /v1/blueprints/{blueprint}/entities/{identifier}?run_id=...`; an entity already gone is not an error. */
  deleteEntity(blueprint: string, identifier: string, options?: { readonly runId?: string }): Promise<void>;
  /** `PATCH /v1/actions/runs/{runId}` */
  updateRun(runId: string, update: RunUpdate): Promise<void>;
  /**
   * `POST /v1/actions/runs/{runId}/logs` — one line shown on the run's page. With
   * `terminationStatus` the same call ends the run (no PATCH needed when there is no status label,
   * summary or link to set).
   */
  addRunLog(runId: string, message: string, terminationStatus?: TerminalRunStatus): Promise<void>;
}
