import type { JsonValue } from '../../../domain/shared/Json.js';

/** A real jq (jq's own semantics and builtins); `env` reads the runner's environment, as in port-agent. */
export interface JqEngine {
  /** The first output of `program` over `input` (undefined when it outputs nothing). Throws with jq's message on an error. */
  first(program: string, input: JsonValue): JsonValue | undefined;
  /** jq's compile error for `program` (a syntax error, an unknown function), or undefined when it compiles. */
  compileError(program: string): string | undefined;
}
