import type { JsonValue } from '../shared/Json.js';

/** Which of Port's message shapes a run arrived in. */
export type RunMessageFormat = 'v1' | 'v2';

/** Trigger operations of Port self-service actions. */
export const KNOWN_OPERATIONS = ['CREATE', 'DAY-2', 'DELETE'] as const;

export interface ActionRunProps {
  readonly runId: string;
  /** The action's identifier, e.g. `create_vm`. */
  readonly action: string;
  /** Trigger operation (`CREATE`, `DAY-2`, `DELETE`), upper case; undefined when the message has none. */
  readonly operation?: string | undefined;
  readonly blueprint?: string | undefined;
  /** Identifier of the entity the action ran on (DAY-2 / DELETE), when any. */
  readonly entity?: string | undefined;
  /** The user's inputs. They may hold secrets: never log them. */
  readonly inputs: Readonly<Record<string, JsonValue>>;
  /** Port user id of whoever triggered the run. */
  readonly triggeredBy?: string | undefined;
  readonly format: RunMessageFormat;
  /**
   * Set when the message is a run whose inputs could not be read (nested too deeply): the run is
   * routed as usual and ends FAILURE with this reason, without its handler running.
   */
  readonly inputsProblem?: string | undefined;
  /** Names of the inputs Port encrypted (`payload.censoredProperties` / `action.encryptedProperties`). */
  readonly encryptedInputs?: readonly string[] | undefined;
  /** The message as Port sent it (webhook mappings evaluate their JQ over it). May hold secrets: never log it. */
  readonly message?: Readonly<Record<string, JsonValue>> | undefined;
}

/** One invocation of a Port self-service action, as read from the runs topic. Immutable. */
export class ActionRun {
  readonly runId: string;
  readonly action: string;
  readonly operation: string | undefined;
  readonly blueprint: string | undefined;
  readonly entity: string | undefined;
  readonly inputs: Readonly<Record<string, JsonValue>>;
  readonly triggeredBy: string | undefined;
  readonly format: RunMessageFormat;
  readonly inputsProblem: string | undefined;
  readonly encryptedInputs: readonly string[];
  readonly message: Readonly<Record<string, JsonValue>> | undefined;

  constructor(props: ActionRunProps) {
    this.runId = props.runId;
    this.action = props.action;
    this.operation = props.operation?.toUpperCase();
    this.blueprint = props.blueprint;
    this.entity = props.entity;
    this.inputs = Object.freeze({ ...props.inputs });
    this.triggeredBy = props.triggeredBy;
    this.format = props.format;
    this.inputsProblem = props.inputsProblem;
    this.encryptedInputs = Object.freeze([...(props.encryptedInputs ?? [])]);
    this.message = props.message;
  }

  /** Attributes safe for a log line: identifiers only, never inputs. */
  describe(): Readonly<Record<string, string>> {
    const described: Record<string, string> = { runId: this.runId, action: this.action, format: this.format };
    if (this.operation !== undefined) described['operation'] = this.operation;
    if (this.blueprint !== undefined) described['blueprint'] = this.blueprint;
    return described;
  }
}
