import type { ActionHandler } from './ActionHandler.js';

/** The outcome of looking a run up by action identifier and trigger operation. */
export type HandlerLookup =
  | { readonly kind: 'found'; readonly handler: ActionHandler }
  /** No handler for this identifier: another runner may own the action. */
  | { readonly kind: 'unknown-action' }
  /** A handler exists for the identifier but not for this operation. */
  | { readonly kind: 'unsupported-operation'; readonly operations: readonly string[] };

/**
 * The action handlers of this runner, by action identifier. A run reaches a handler by its full
 * identifier, else by an alias (`PORT_ACTION_ALIASES`), else, for a blueprint-prefixed identifier
 * (`vm_create_vm`, as Port's guide names actions), by what follows `<blueprint>_`.
 */
export class ActionHandlerRegistry {
  private readonly handlers = new Map<string, ActionHandler>();

  constructor(
    handlers: readonly ActionHandler[] = [],
    private readonly aliases: ReadonlyMap<string, string> = new Map(),
  ) {
    for (const handler of handlers) this.register(handler);
  }

  /** Adds a handler; one per action identifier. */
  register(handler: ActionHandler): this {
    if (this.handlers.has(handler.action)) throw new Error(`a handler for action ${handler.action} is already registered`);
    this.handlers.set(handler.action, handler);
    return this;
  }

  /** The handler of `action` (aliases and blueprint prefixes resolved) if its operation is accepted. */
  lookup(action: string, operation: string | undefined, blueprint?: string): HandlerLookup {
    const handler = this.handlerOf(action, blueprint);
    if (handler === undefined) return { kind: 'unknown-action' };
    const operations = handler.operations;
    if (operations === undefined || operation === undefined || operations.includes(operation)) {
      return { kind: 'found', handler };
    }
    return { kind: 'unsupported-operation', operations };
  }

  private handlerOf(action: string, blueprint: string | undefined): ActionHandler | undefined {
    const exact = this.handlers.get(action);
    if (exact !== undefined) return exact;
    const alias = this.aliases.get(action);
    if (alias !== undefined) return this.handlers.get(alias);
    if (blueprint !== undefined && blueprint !== '') {
      return action.startsWith(`${blueprint}_`) ? this.handlers.get(action.slice(blueprint.length + 1)) : undefined;
    }
    // The message names no blueprint: the prefix is what precedes the first `_`.
    const separator = action.indexOf('_');
    return separator > 0 ? this.handlers.get(action.slice(separator + 1)) : undefined;
  }

  /** Identifiers of the registered actions. */
  actions(): string[] {
    return [...this.handlers.keys()];
  }
}
