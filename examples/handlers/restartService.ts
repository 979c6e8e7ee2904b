/**
 * A DAY-2 action: restart a running service, then point the user at its dashboard.
 *
 * Port action (self-service, operation DAY-2 on the `service` blueprint, invocation Kafka) with
 * inputs `environment` (production | staging) and an optional `reason`. Load it with
 *
 *   HERMES_ACTION_HANDLERS=examples/handlers/restartService.ts npm start
 *
 * The restart itself is your code (here a call to your deployment API when RESTART_API_URL is set);
 * hermes gives the run's log, Port's API (`ctx.port`), a signal for timeouts and shutdown, and
 * the delivery guarantees (one execution per run, commit after report).
 */
import * as z from 'zod';
import { defineActionHandler, DomainError } from 'hermes/runner';

/** Where the service's dashboard lives; the run's link points there. */
const DASHBOARD_URL = process.env['RESTART_DASHBOARD_URL'] ?? 'https://grafana.example.com/d/services';

class RestartRefusedError extends DomainError {
  readonly code = 'RESTART_REFUSED';
  constructor(message: string) {
    super(message);
  }
}

export default defineActionHandler({
  action: 'restart_service',
  operations: ['DAY-2'],
  inputs: z.object({
    environment: z.enum(['production', 'staging'], { error: 'must be production or staging' }),
    reason: z.string().trim().max(200, { error: 'must be at most 200 characters' }).optional(),
  }),
  async handle(run, ctx) {
    const service = run.entity;
    if (service === undefined) throw new RestartRefusedError('restart_service runs on a service: pick one in Port');
    ctx.log(`Restarting ${service} in ${run.inputs.environment}${run.inputs.reason ? ` (${run.inputs.reason})` : ''}`);

    const api = process.env['RESTART_API_URL'];
    if (api !== undefined) {
      const response = await fetch(`${api}/services/${encodeURIComponent(service)}/restart`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ environment: run.inputs.environment, requestedBy: run.triggeredBy ?? 'port' }),
        signal: ctx.signal,
      });
      if (!response.ok) throw new RestartRefusedError(`the deployment API refused the restart (HTTP ${response.status})`);
    }

    // Record the restart on the entity (merge: other properties are kept).
    await ctx.port.upsertEntity(
      run.blueprint ?? 'service',
      { identifier: service, properties: { last_restarted_at: new Date().toISOString() } },
      { runId: run.runId, upsert: true, merge: true },
    );
    ctx.log(`${service} restarted`);
    return {
      statusLabel: 'Restarted',
      summary: `${service} restarted in ${run.inputs.environment}`,
      link: [`${DASHBOARD_URL}?var-service=${encodeURIComponent(service)}&var-env=${run.inputs.environment}`],
    };
  },
});
