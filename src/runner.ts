/**
 * `hermes/runner`: what a handler module (`HERMES_ACTION_HANDLERS`) imports. A module's default
 * export is one handler or an array of them:
 *
 * ```ts
 * import * as z from 'zod';
 * import { defineActionHandler } from 'hermes/runner';
 *
 * export default defineActionHandler({
 *   action: 'restart_service',
 *   operations: ['DAY-2'],
 *   inputs: z.object({ reason: z.string().min(1) }),
 *   async handle(run, ctx) {
 *     ctx.log(`Restarting ${run.entity}`);
 *     return { summary: 'restarted', link: ['https://ci.example.com/job/1'] };
 *   },
 * });
 * ```
 */
export { defineActionHandler, type ActionHandlerDefinition, type HandlerRun } from './application/runs/defineActionHandler.js';
export type { ActionHandler, ActionHandlerContext, ActionHandlerResult } from './application/runs/ActionHandler.js';
export type { PortApi, PortEntity, RunUpdate, UpsertEntityOptions } from './application/runs/ports/PortApi.js';
export type { ActionRun } from './domain/runs/ActionRun.js';
export { ActionInputInvalidError, type InputProblem } from './domain/runs/ActionInputInvalidError.js';
export { DomainError, TransientError } from './domain/shared/HermesError.js';
