import type { ActionHandler } from './ActionHandler.js';

/** The outcome of looking a run up by action identifier and trigger operation. */
export type HandlerLookup =
  | { readonly kind: 'found'; readonly handler: ActionHandler }
  /** No handler for this identifier: another runner may own the action. */
  | { readonly kind: 'unknown-action' }
  /** A handler exists for the identifier but not for this operation. */
  | { readonly kind: 'unsupported-operation'; readonly operations: readonly string[] };

/** The action handlers of this runner, by action identifier. */
export class ActionHandlerRegistry {
  private readonly handlers = new Map<string, ActionHandler>();

  constructor(handlers: readonly ActionHandler[] = []) {
    for (const handler of handlers) this.register(handler);
  }

  /** Adds a handler; one per action identifier. */
  register(handler: ActionHandler): this {
    if (this.handlers.has(handler.action)) throw new Error(`a handler for action ${handler.action} is already registered`);
    this.handlers.set(handler.action, handler);
    return this;
  }

  lookup(action: string, operation: string | undefined): HandlerLookup {
    const handler = this.handlers.get(action);
    if (handler === undefined) return { kind: 'unknown-action' };
    const operations = handler.operations;
    if (operations === undefined || operation === undefined || operations.includes(operation)) {
      return { kind: 'found', handler };
    }
    return { kind: 'unsupported-operation', operations };
  }

  /** Identifiers of the registered actions. */
  actions(): string[] {
    return [...this.handlers.keys()];
  }
}
