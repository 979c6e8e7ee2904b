/**
 * A DELETE action: tear a VM down and remove its `vm` entity from Port's catalog.
 *
 * Port action (self-service, operation DELETE on the tutorial's `vm` blueprint, invocation Kafka),
 * no inputs besides an optional `confirm_title`. Load it with
 *
 *   HERMES_ACTION_HANDLERS=examples/handlers/deleteVm.ts npm start
 *
 * Idempotent, as every handler should be: a retried run finds the entity already gone and succeeds.
 */
import * as z from 'zod';
import { defineActionHandler, DomainError } from 'hermes/runner';

class DeleteRefusedError extends DomainError {
  readonly code = 'DELETE_REFUSED';
  constructor(message: string) {
    super(message);
  }
}

export default defineActionHandler({
  action: 'delete_vm',
  operations: ['DELETE'],
  inputs: z.object({
    confirm_title: z.string().trim().optional(),
  }),
  async handle(run, ctx) {
    const vm = run.entity;
    if (vm === undefined) throw new DeleteRefusedError('delete_vm runs on a vm entity: pick one in Port');
    if (run.inputs.confirm_title !== undefined && run.inputs.confirm_title !== vm) {
      throw new DeleteRefusedError(`confirm_title must be the VM's identifier (${vm})`);
    }
    ctx.log(`Deleting VM ${vm}`);
    // Your infrastructure call goes here (pass ctx.signal so a timeout or a shutdown stops it).
    await ctx.port.deleteEntity(run.blueprint ?? 'vm', vm, { runId: run.runId });
    ctx.log(`VM ${vm} deleted`);
    return { statusLabel: 'Deleted', summary: `VM ${vm} deleted and removed from the catalog` };
  },
});
