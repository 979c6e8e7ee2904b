import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import * as z from 'zod';
import type { InvocationMapping, MappingTemplate } from '../../application/runs/invocations/InvocationMapping.js';
import type { JqEngine } from '../../application/runs/ports/JqEngine.js';
import { errorMessage } from '../../domain/shared/HermesError.js';
import type { JsonValue } from '../../domain/shared/Json.js';
import { ConfigurationError } from '../config/ConfigurationError.js';

const VARIABLE = 'HERMES_INVOCATIONS';
const JSON_VALUE: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JSON_VALUE), z.record(z.string(), JSON_VALUE)]),
);

/** port-agent's mapping (`app/core/config.py`, `Mapping`): unknown keys such as `fieldsToDecryptPaths` are accepted and ignored. */
const MAPPING = z.object({
  enabled: z.union([z.boolean(), z.string()]).default(true),
  url: z.string({ error: 'url is required (a JQ expression, e.g. ".payload.action.invocationMethod.url")' }),
  method: z.string().optional(),
  headers: z.union([z.string(), z.record(z.string(), JSON_VALUE)]).optional(),
  query: z.union([z.string(), z.record(z.string(), JSON_VALUE)]).optional(),
  body: JSON_VALUE.optional(),
  report: z
    .object({
      status: z.string().optional(),
      link: z.string().optional(),
      summary: z.string().optional(),
      externalRunId: z.string().optional(),
    })
    .optional(),
});

/** Every JQ expression of a template with where it is (`body.token`). */
function expressionsWithPaths(template: MappingTemplate, path: string): Array<[string, string]> {
  if (typeof template === 'string') return [[path, template]];
  if (Array.isArray(template)) return template.flatMap((item, index) => expressionsWithPaths(item, `${path}[${index}]`));
  if (template !== null && typeof template === 'object') {
    return Object.entries(template).flatMap(([key, value]) => expressionsWithPaths(value, `${path}.${key}`));
  }
  return [];
}

/**
 * The mappings of a port-agent "control the payload" file, checked: the shape of each mapping, and
 * every JQ expression compiled by jq itself. Every problem names the mapping's index (and the
 * field, with jq's error) in one ConfigurationError.
 */
export function parseInvocations(raw: unknown, jq: JqEngine, file: string): InvocationMapping[] {
  if (!Array.isArray(raw)) throw new ConfigurationError([`${VARIABLE}: ${file} must hold a JSON array of mappings`]);
  const problems: string[] = [];
  const mappings: InvocationMapping[] = [];
  raw.forEach((item: unknown, index) => {
    const parsed = MAPPING.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const where = issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
        problems.push(`${VARIABLE}: mapping ${index}${where}: ${issue.message}`);
      }
      return;
    }
    const mapping = parsed.data;
    const expressions: Array<[string, string]> = [
      ...(typeof mapping.enabled === 'string' ? ([['enabled', mapping.enabled]] as Array<[string, string]>) : []),
      ['url', mapping.url],
      ...(mapping.method !== undefined ? ([['method', mapping.method]] as Array<[string, string]>) : []),
      ...expressionsWithPaths(mapping.headers ?? null, 'headers'),
      ...expressionsWithPaths(mapping.query ?? null, 'query'),
      ...expressionsWithPaths(mapping.body ?? null, 'body'),
      ...Object.entries(mapping.report ?? {}).flatMap(([key, value]) =>
        value === undefined ? [] : ([[`report.${key}`, value]] as Array<[string, string]>),
      ),
    ];
    let valid = true;
    for (const [path, expression] of expressions) {
      const error = jq.compileError(expression);
      if (error !== undefined) {
        valid = false;
        problems.push(`${VARIABLE}: mapping ${index} (${path}): ${error}`);
      }
    }
    if (!valid) return;
    mappings.push({
      index,
      enabled: mapping.enabled,
      url: mapping.url,
      ...(mapping.method !== undefined && { method: mapping.method }),
      ...(mapping.headers !== undefined && { headers: mapping.headers }),
      ...(mapping.query !== undefined && { query: mapping.query }),
      ...(mapping.body !== undefined && { body: mapping.body }),
      ...(mapping.report !== undefined && { report: mapping.report }),
    });
  });
  if (problems.length > 0) throw new ConfigurationError(problems);
  return mappings;
}

/** Reads and checks the mapping file of `HERMES_INVOCATIONS` (a path relative to `cwd`). */
export async function loadInvocationsFile(path: string, jq: JqEngine, cwd = process.cwd()): Promise<InvocationMapping[]> {
  const absolute = isAbsolute(path) ? path : resolve(cwd, path);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(absolute, 'utf8')) as unknown;
  } catch (error) {
    throw new ConfigurationError([`${VARIABLE}: ${path} could not be read as JSON: ${errorMessage(error).split('\n')[0]}`]);
  }
  return parseInvocations(raw, jq, path);
}
