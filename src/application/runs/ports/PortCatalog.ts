import type { JsonValue } from '../../../domain/shared/Json.js';

export type JsonObject = { readonly [key: string]: JsonValue };

/** Whether a definition was new or replaced an existing one. */
export type UpsertDisposition = 'created' | 'updated';

/** Port's data model: blueprints and self-service actions, created or replaced by identifier. */
export interface PortCatalog {
  /** `POST /v1/blueprints`, or `PUT /v1/blueprints/{identifier}` when it exists. */
  upsertBlueprint(blueprint: JsonObject & { readonly identifier: string }): Promise<UpsertDisposition>;
  /** `POST /v1/actions`, or `PUT /v1/actions/{identifier}` when it exists. */
  upsertAction(action: JsonObject & { readonly identifier: string }): Promise<UpsertDisposition>;
}
