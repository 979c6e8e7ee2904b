/** One run the bench produces: its id (also the Kafka key), action, index (for its inputs), and a pinned partition if any. */
export interface BenchRun {
  readonly runId: string;
  readonly action: string;
  readonly index: number;
  readonly partition?: number;
}

/** The Port run message (v1 envelope) of `run`: a create_vm-shaped payload whatever the action. */
export function benchRunMessage(run: BenchRun): string {
  const i = run.index;
  return JSON.stringify({
    action: run.action,
    resourceType: 'run',
    status: 'TRIGGERED',
    trigger: { by: { userId: 'bench', orgId: 'org_bench' }, at: new Date().toISOString(), origin: 'API' },
    context: { entity: null, blueprint: 'vm', runId: run.runId },
    payload: {
      entity: null,
      action: { identifier: run.action, trigger: 'CREATE' },
      properties: { title: `Bench VM ${i}`, cpu: 1 + (i % 8), memory: 4, storage: 20, region: 'eu-west-1' },
    },
  });
}
