/** A Port run message (the v1 envelope, as in test/fixtures/port/port-docs-guide-v1-message.json) of any action. */
export function runMessage(options: {
  runId: string;
  action: string;
  operation: string;
  blueprint: string;
  entity?: string;
  properties?: Record<string, unknown>;
}): string {
  return JSON.stringify({
    action: options.action,
    resourceType: 'run',
    status: 'TRIGGERED',
    trigger: { by: { userId: 'user@example.com', orgId: 'org_test' }, at: '2024-05-01T10:00:00.000Z', origin: 'UI' },
    context: { entity: options.entity ?? null, blueprint: options.blueprint, runId: options.runId },
    payload: {
      entity: options.entity === undefined ? null : { identifier: options.entity },
      action: { identifier: options.action, blueprint: options.blueprint, invocationMethod: { type: 'KAFKA' }, trigger: options.operation },
      properties: options.properties ?? {},
    },
  });
}
