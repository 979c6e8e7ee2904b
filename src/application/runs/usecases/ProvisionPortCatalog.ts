import { inject, injectable } from 'inversify';
import { CREATE_VM_ACTION, VM_BLUEPRINT } from '../catalog/vmCatalog.js';
import type { PortCatalog, UpsertDisposition } from '../ports/PortCatalog.js';
import { RUN_TOKENS } from '../tokens.js';

export interface ProvisionedCatalog {
  readonly blueprints: ReadonlyArray<{ readonly identifier: string; readonly disposition: UpsertDisposition }>;
  readonly actions: ReadonlyArray<{ readonly identifier: string; readonly disposition: UpsertDisposition }>;
}

/** Creates or updates, in Port, the blueprint and the action the runner's handlers serve (`vm`, `create_vm`). */
@injectable()
export class ProvisionPortCatalog {
  constructor(@inject(RUN_TOKENS.PortCatalog) private readonly catalog: PortCatalog) {}

  async execute(): Promise<ProvisionedCatalog> {
    // The action refers to the blueprint, so the blueprint goes first.
    const blueprint = await this.catalog.upsertBlueprint(VM_BLUEPRINT);
    const action = await this.catalog.upsertAction(CREATE_VM_ACTION);
    return {
      blueprints: [{ identifier: VM_BLUEPRINT.identifier, disposition: blueprint }],
      actions: [{ identifier: CREATE_VM_ACTION.identifier, disposition: action }],
    };
  }
}
