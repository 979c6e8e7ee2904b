import * as z from 'zod/mini';
import type { ActionRun } from '../../../domain/runs/ActionRun.js';
import { ActionInputInvalidError } from '../../../domain/runs/ActionInputInvalidError.js';
import { slugifyPortIdentifier } from '../../../domain/runs/PortIdentifier.js';
import { ValidationError } from '../../../domain/shared/ValidationError.js';
import type { ActionHandler, ActionHandlerContext, ActionHandlerResult } from '../ActionHandler.js';
import { VM_REGIONS } from '../catalog/vmCatalog.js';
import { inputProblemsOf } from '../inputProblems.js';
import type { PortApi } from '../ports/PortApi.js';

/** Numbers arrive as JSON numbers, or as strings when a v2 payload template quotes them. */
function numberInput(options: { integer: boolean; max: number }) {
  const rule = options.integer ? `a whole number from 1 to ${options.max}` : `a number above 0 and at most ${options.max}`;
  const quoted = z.pipe(z.string().check(z.trim(), z.regex(/^\d+(\.\d+)?$/)), z.transform(Number));
  const inRange = (n: number): boolean => Number.isFinite(n) && n > 0 && n <= options.max && (!options.integer || Number.isInteger(n));
  return z.pipe(
    z.union([z.number(), quoted], { error: `must be ${rule}` }),
    z.number().check(z.refine(inRange, { error: `must be ${rule}` })),
  );
}

/** The `create_vm` action's user inputs, as declared in the tutorial's action JSON (zod's mini build: cheap at cold start). */
const CREATE_VM_INPUTS = z.object({
  title: z.optional(
    z
      .string()
      .check(z.trim(), z.minLength(1, { error: 'must not be empty' }), z.maxLength(200, { error: 'must be at most 200 characters' })),
  ),
  cpu: numberInput({ integer: true, max: 512 }),
  memory: numberInput({ integer: false, max: 65_536 }),
  storage: numberInput({ integer: false, max: 1_048_576 }),
  region: z.enum(VM_REGIONS, { error: `must be one of ${VM_REGIONS.join(', ')}` }),
});

export type CreateVmInputs = z.infer<typeof CREATE_VM_INPUTS>;

export interface CreateVmHandlerOptions {
  /** Blueprint of the created entities (the tutorial's `vm`). */
  readonly blueprint?: string;
  /** Link to an entity's page in Port's UI, when known. */
  readonly entityUrl?: (blueprint: string, identifier: string) => string | undefined;
}

/**
 * The tutorial's example: "create a VM" records a `vm` entity in Port's catalog, marked "Deploying"
 * and linked to the run. Inputs are validated against the action's schema first; the entity
 * identifier is the title slugified to Port's identifier rules. Idempotent per run (upsert).
 */
export class CreateVmHandler implements ActionHandler {
  readonly action = 'create_vm';
  readonly operations = ['CREATE'] as const;
  private readonly blueprint: string;

  constructor(
    private readonly port: PortApi,
    private readonly options: CreateVmHandlerOptions = {},
  ) {
    this.blueprint = options.blueprint ?? 'vm';
  }

  async handle(run: ActionRun, context: ActionHandlerContext): Promise<ActionHandlerResult> {
    const parsed = CREATE_VM_INPUTS.safeParse(run.inputs);
    if (!parsed.success) throw new ActionInputInvalidError(this.action, inputProblemsOf(parsed.error, run.inputs));
    const inputs = parsed.data;
    const title = inputs.title ?? `VM ${run.runId}`;
    let identifier: string;
    try {
      identifier = slugifyPortIdentifier('title', title);
    } catch (error) {
      if (error instanceof ValidationError) {
        throw new ActionInputInvalidError(this.action, [{ field: 'title', reason: 'must contain at least one letter (a-z) or digit' }]);
      }
      throw error;
    }
    const sizing = `${inputs.cpu} CPU cores, ${inputs.memory} GB memory, ${inputs.storage} GB storage in ${inputs.region}`;
    context.log(`Creating ${this.blueprint} entity "${identifier}": ${sizing}`);
    await this.port.upsertEntity(
      this.blueprint,
      {
        identifier,
        title,
        properties: {
          cpu_cores: inputs.cpu,
          memory_size: inputs.memory,
          storage_size: inputs.storage,
          region: inputs.region,
          deployed: 'Deploying',
        },
      },
      { runId: run.runId, upsert: true },
    );
    const url = this.options.entityUrl?.(this.blueprint, identifier);
    return {
      statusLabel: 'Deploying',
      summary: `VM "${title}" (${identifier}) recorded as Deploying: ${sizing}`,
      ...(url !== undefined && { link: [url] }),
    };
  }
}
