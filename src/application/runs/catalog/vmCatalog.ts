import type { JsonObject } from '../ports/PortCatalog.js';

/** Regions offered by the tutorial's `create_vm` action. */
export const VM_REGIONS = ['eu-west-1', 'eu-west-2', 'us-west-1', 'us-east-1'] as const;

/** The tutorial's `vm` blueprint, as sent to `POST /v1/blueprints`. */
export const VM_BLUEPRINT = {
  identifier: 'vm',
  title: 'VM',
  icon: 'Server',
  schema: {
    properties: {
      region: { title: 'Region', type: 'string', description: 'Region of the VM' },
      cpu_cores: { title: 'CPU Cores', type: 'number', description: 'Number of allocated CPU cores' },
      memory_size: { title: 'Memory Size ', type: 'number', description: 'Amount of allocated memory (GB)' },
      storage_size: { title: 'Storage Size', type: 'number', description: 'Amount of allocated storage (GB)' },
      deployed: { title: 'Deploy Status', type: 'string', description: 'The deployment status of this VM' },
    },
    required: [],
  },
  calculationProperties: {},
} as const satisfies JsonObject;

/** The tutorial's `create_vm` user inputs. */
const CREATE_VM_USER_INPUTS = {
  properties: {
    title: { type: 'string', title: 'Title of the new VM' },
    cpu: { type: 'number', title: 'Number of CPU cores' },
    memory: { type: 'number', title: 'Size of memory' },
    storage: { type: 'number', title: 'Size of storage' },
    region: { type: 'string', title: 'Deployment region', enum: [...VM_REGIONS] },
  },
  required: ['cpu', 'memory', 'storage', 'region'],
} as const satisfies JsonObject;

/**
 * The tutorial's `create_vm` action (a CREATE self-service action on `vm`, invoked through Kafka),
 * in the shape of Port's current actions API (`POST /v1/actions`): the tutorial's
 * `trigger: "CREATE"` + `userInputs` become `trigger: {type: "self-service", operation, blueprintIdentifier,
 * userInputs}`. Without a custom payload Port publishes its default run envelope on `ORG_ID.runs`.
 */
export const CREATE_VM_ACTION = {
  identifier: 'create_vm',
  title: 'Create VM',
  icon: 'Server',
  description: 'Create a new VM in cloud provider infrastructure',
  trigger: {
    type: 'self-service',
    operation: 'CREATE',
    blueprintIdentifier: VM_BLUEPRINT.identifier,
    userInputs: CREATE_VM_USER_INPUTS,
  },
  invocationMethod: { type: 'KAFKA' },
} as const satisfies JsonObject;
