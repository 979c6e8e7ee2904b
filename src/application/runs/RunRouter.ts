import type { ActionRun } from '../../domain/runs/ActionRun.js';
import type { Logger } from '../shared/ports/Logger.js';
import type { ActionHandler } from './ActionHandler.js';
import type { ActionHandlerRegistry, HandlerLookup } from './ActionHandlerRegistry.js';
import type { RunResult } from './RunResult.js';

/** Where a run goes: to its handler, or nowhere (with the skip to report). */
export type RunRoute =
  | { readonly kind: 'handler'; readonly handler: ActionHandler }
  | { readonly kind: 'skip'; readonly result: Extract<RunResult, { kind: 'skipped' }> };

/** Handlers found by the run's message rather than its action (webhook mappings, `HERMES_INVOCATIONS`). */
export interface MessageRoutes {
  match(run: ActionRun): ActionHandler | undefined;
}

/**
 * The allow-list (`PORT_ACTIONS`), the handler registry and then the webhook mappings: which
 * handler, if any, executes a run. A code handler for the action wins over a mapping.
 */
export class RunRouter {
  constructor(
    private readonly registry: ActionHandlerRegistry,
    private readonly allowedActions: ReadonlySet<string> | undefined,
    private readonly logger: Logger,
    private readonly messageRoutes?: MessageRoutes,
  ) {}

  route(run: ActionRun, described: Readonly<Record<string, unknown>>): RunRoute {
    const skip = (reason: 'not-allowed' | 'unknown-action' | 'unsupported-operation'): RunRoute => ({
      kind: 'skip',
      result: { kind: 'skipped', reason, runId: run.runId, action: run.action },
    });
    const lookup = this.registry.lookup(run.action, run.operation, run.blueprint);
    if (!this.allows(run.action, lookup)) {
      this.logger.debug('Ignored a run of an action outside PORT_ACTIONS', described);
      return skip('not-allowed');
    }
    if (lookup.kind === 'unknown-action') {
      const mapped = this.messageRoutes?.match(run);
      if (mapped !== undefined) return { kind: 'handler', handler: mapped };
      this.logger.info('Ignored a run of an action this runner has no handler for (another runner may own it)', described);
      return skip('unknown-action');
    }
    if (lookup.kind === 'unsupported-operation') {
      this.logger.info('Ignored a run whose trigger operation the handler does not accept', {
        ...described,
        accepted: lookup.operations.join(','),
      });
      return skip('unsupported-operation');
    }
    return { kind: 'handler', handler: lookup.handler };
  }

  /** `PORT_ACTIONS` may name the run's own identifier or the handler it resolves to. */
  private allows(action: string, lookup: HandlerLookup): boolean {
    if (this.allowedActions === undefined || this.allowedActions.has(action)) return true;
    return lookup.kind === 'found' && this.allowedActions.has(lookup.handler.action);
  }
}
