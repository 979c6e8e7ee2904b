import type { JsonValue } from '../../../domain/shared/Json.js';
import type { JqEngine } from '../ports/JqEngine.js';
import type { MappingTemplate } from './InvocationMapping.js';

const ERROR_KEY = '__hermes_jq_error';

/** What a field's JQ gave: its first output (null when none), or jq's error. */
export type FieldValue = { readonly value: JsonValue } | { readonly error: string };

/**
 * Every JQ expression of a set of templates, evaluated over one input in ONE jq call (each call of
 * a WebAssembly jq costs milliseconds): the program is an array of `try first(expr)` items, so an
 * expression that fails gives its error alone, as port-agent evaluates each field on its own.
 */
export function evaluateExpressions(jq: JqEngine, expressions: readonly string[], input: JsonValue): FieldValue[] {
  if (expressions.length === 0) return [];
  const items = expressions.map((expression) => `(try ([first((${expression}\n))] | .[0]) catch {"${ERROR_KEY}": (. | tostring)})`);
  const results = jq.first(`[${items.join(',\n')}]`, input);
  if (!Array.isArray(results)) throw new Error('jq gave no result for the mapping');
  return expressions.map((_, index) => {
    const result = results[index] ?? null;
    if (result !== null && typeof result === 'object' && !Array.isArray(result) && ERROR_KEY in result) {
      const error = result[ERROR_KEY];
      return { error: typeof error === 'string' ? error : JSON.stringify(error) };
    }
    return { value: result };
  });
}

/** The JQ expressions of a template (its string leaves), depth first. */
export function expressionsOf(template: MappingTemplate): string[] {
  if (typeof template === 'string') return [template];
  if (Array.isArray(template)) return template.flatMap(expressionsOf);
  if (template !== null && typeof template === 'object') return Object.values(template).flatMap(expressionsOf);
  return [];
}

/** The template with its expressions replaced, in `expressionsOf` order, by `values` (a failed one becomes null, as in port-agent). */
export function renderTemplate(template: MappingTemplate, values: readonly FieldValue[]): JsonValue {
  let next = 0;
  const render = (node: MappingTemplate): JsonValue => {
    if (typeof node === 'string') {
      const field = values[next++];
      return field !== undefined && 'value' in field ? field.value : null;
    }
    if (Array.isArray(node)) return node.map(render);
    if (node !== null && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, render(value)]));
    return node;
  };
  return render(template);
}
