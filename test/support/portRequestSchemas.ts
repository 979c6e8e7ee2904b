import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/**
 * Port's request schemas (test/fixtures/port/port-api-request-schemas.json, decoded from Port's
 * OpenAPI operations) compiled with a JSON-schema validator. The schemas use OpenAPI 3.1's dialect
 * (`type: "null"`, `deprecated`), i.e. JSON Schema 2020-12, hence Ajv2020.
 */

/** The operations of Port's API a runner calls, as the fixture names them. */
export type PortOperation = 'create-an-access-token' | 'update-an-action-run' | 'add-a-log-to-an-action-run' | 'create-an-entity';

interface Parameter {
  readonly in: 'query' | 'path';
  readonly name: string;
  readonly required: boolean;
  readonly schema: Record<string, unknown>;
}

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly body: Record<string, unknown>;
}

interface SchemaFile {
  readonly operations: Readonly<Record<PortOperation, Operation>>;
}

const SEARCH_QUERY_TITLE = '/schemas/searchRelationsQuerySchema';
const SEARCH_QUERY_REF = { $ref: '#/$defs/searchRelationsQuery' };

/**
 * The decoder left Port's recursive search-query schema as placeholders (`"circular(...)"`, and
 * `properties: "circular()"` on the recursive node): resolved here to a `$ref` to the first full copy.
 */
function resolveCircular(schema: Record<string, unknown>): Record<string, unknown> {
  let searchQuery: unknown;
  const find = (node: unknown): void => {
    if (searchQuery !== undefined || typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record['title'] === SEARCH_QUERY_TITLE && typeof record['properties'] === 'object') searchQuery = node;
    for (const value of Object.values(record)) find(value);
  };
  const replace = (node: unknown): unknown => {
    if (typeof node === 'string' && node.startsWith('circular(')) return SEARCH_QUERY_REF;
    if (Array.isArray(node)) return node.map(replace);
    if (typeof node !== 'object' || node === null) return node;
    const record = node as Record<string, unknown>;
    if (record['properties'] === 'circular()') return SEARCH_QUERY_REF;
    return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, replace(value)]));
  };
  find(schema);
  const resolved = replace(schema) as Record<string, unknown>;
  return searchQuery === undefined ? resolved : { ...resolved, $defs: { searchRelationsQuery: replace(searchQuery) } };
}

function parametersSchema(parameters: readonly Parameter[], where: 'query' | 'path'): Record<string, unknown> {
  const own = parameters.filter((parameter) => parameter.in === where);
  return {
    type: 'object',
    properties: Object.fromEntries(own.map((parameter) => [parameter.name, parameter.schema])),
    required: own.filter((parameter) => parameter.required).map((parameter) => parameter.name),
    additionalProperties: false,
  };
}

/** What a request carries, as the server sees it. */
export interface PortRequest {
  readonly body: unknown;
  readonly query: Readonly<Record<string, string>>;
  readonly path: Readonly<Record<string, string>>;
}

export interface PortRequestSchemas {
  /** Undefined when `request` fits `operation`'s schemas, else why not (`body must NOT have additional properties`). */
  problem(operation: PortOperation, request: PortRequest): string | undefined;
}

export function loadPortRequestSchemas(
  file = new URL('../fixtures/port/port-api-request-schemas.json', import.meta.url),
): PortRequestSchemas {
  const { operations } = JSON.parse(readFileSync(file, 'utf8')) as SchemaFile;
  const strict = new Ajv2020({ allErrors: true, strict: false });
  // Query and path parameters arrive as text: `upsert=true` is the boolean true.
  const coercing = new Ajv2020({ allErrors: true, strict: false, coerceTypes: true });
  const compiled = new Map<PortOperation, { body: ValidateFunction; query: ValidateFunction; path: ValidateFunction }>();
  for (const [name, operation] of Object.entries(operations) as Array<[PortOperation, Operation]>) {
    compiled.set(name, {
      body: strict.compile(resolveCircular(operation.body)),
      query: coercing.compile(parametersSchema(operation.parameters, 'query')),
      path: coercing.compile(parametersSchema(operation.parameters, 'path')),
    });
  }
  return {
    problem: (operation, request) => {
      const validators = compiled.get(operation);
      if (validators === undefined) return `no schema for ${operation}`;
      const checks: Array<[string, ValidateFunction, unknown]> = [
        ['querystring', validators.query, { ...request.query }],
        ['params', validators.path, { ...request.path }],
        ['body', validators.body, request.body],
      ];
      for (const [dataVar, validate, data] of checks) {
        if (!validate(data)) return strict.errorsText(validate.errors, { dataVar });
      }
      return undefined;
    },
  };
}
