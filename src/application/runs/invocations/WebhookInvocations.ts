import type { ActionRun } from '../../../domain/runs/ActionRun.js';
import { DomainError } from '../../../domain/shared/HermesError.js';
import type { JsonValue } from '../../../domain/shared/Json.js';
import type { Logger } from '../../shared/ports/Logger.js';
import type { ActionHandler, ActionHandlerContext, ActionHandlerResult } from '../ActionHandler.js';
import { WebhookUnreachableError } from '../errors/WebhookUnreachableError.js';
import type { JqEngine } from '../ports/JqEngine.js';
import type { WebhookClient, WebhookRequest, WebhookResponse } from '../ports/WebhookClient.js';
import type { InvocationMapping, MappingTemplate } from './InvocationMapping.js';
import { evaluateExpressions, expressionsOf, renderTemplate, type FieldValue } from './JqTemplate.js';

/** The webhook's answer (or the report mapping) says FAILURE; the message is the run's summary. */
export class WebhookFailedError extends DomainError {
  readonly code = 'WEBHOOK_FAILED';

  constructor(summary: string) {
    super(summary);
  }
}

type JsonObject = { readonly [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Header and query values as strings (JQ may give numbers); null and absent keys dropped. */
function stringMap(value: JsonValue): Record<string, string> {
  if (!isObject(value)) return {};
  const entries = Object.entries(value).filter(([, item]) => item !== null && item !== undefined);
  return Object.fromEntries(entries.map(([key, item]) => [key, typeof item === 'string' ? item : JSON.stringify(item)]));
}

/** `POST https://host` — the endpoint without path, query or credentials, which may hold secrets (a Slack webhook's path does). */
function endpointOf(request: WebhookRequest): string {
  try {
    return `${request.method} ${new URL(request.url).origin}`;
  } catch {
    return `${request.method} (an invalid URL)`;
  }
}

function invocationMethodOf(message: JsonObject): JsonObject {
  const payload = message['payload'];
  const action = isObject(payload) ? payload['action'] : message['action'];
  const method = isObject(action) ? action['invocationMethod'] : undefined;
  return isObject(method) ? method : {};
}

/**
 * port-agent's "control the payload" mappings (`HERMES_INVOCATIONS`) as action handlers: the first
 * mapping whose `enabled` holds for a run's message sends it to the mapping's endpoint and reports
 * what its `report` block (or the HTTP status) says. The run goes through the same ledger,
 * token cache and commit-after-report as a code handler.
 */
export class WebhookInvocations {
  constructor(
    private readonly mappings: readonly InvocationMapping[],
    private readonly jq: JqEngine,
    private readonly client: WebhookClient,
    private readonly logger: Logger,
  ) {}

  /** The handler of the first enabled mapping for `run`, if any. */
  match(run: ActionRun): ActionHandler | undefined {
    const message = run.message ?? {};
    const expressions = this.mappings.flatMap((mapping) => (typeof mapping.enabled === 'string' ? [mapping.enabled] : []));
    const values = evaluateExpressions(this.jq, expressions, message);
    let next = 0;
    for (const mapping of this.mappings) {
      const enabled = typeof mapping.enabled === 'boolean' ? mapping.enabled : this.isTrue(values[next++], mapping, run);
      if (enabled) return this.handlerFor(mapping, run.action);
    }
    return undefined;
  }

  private isTrue(field: FieldValue | undefined, mapping: InvocationMapping, run: ActionRun): boolean {
    if (field !== undefined && 'error' in field) {
      this.logger.warn('A webhook mapping’s enabled expression failed; the mapping is skipped', {
        runId: run.runId,
        mapping: mapping.index,
        // jq's runtime errors quote the values they failed on, which may be inputs: not logged.
      });
      return false;
    }
    return field?.value === true;
  }

  private handlerFor(mapping: InvocationMapping, action: string): ActionHandler {
    return { action, handle: (run, context) => this.invoke(mapping, run, context) };
  }

  private async invoke(mapping: InvocationMapping, run: ActionRun, context: ActionHandlerContext): Promise<ActionHandlerResult> {
    const message = run.message ?? {};
    const request = this.render(mapping, message, run);
    const endpoint = endpointOf(request);
    context.log(`Sending the request: ${endpoint} (webhook mapping ${mapping.index})`);
    let response: WebhookResponse;
    try {
      response = await this.client.send(request, context.signal);
    } catch (error) {
      if (error instanceof WebhookUnreachableError) throw new WebhookFailedError(`${endpoint} could not be reached: ${error.message}`);
      throw error;
    }
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    const retried = response.attempts > 1 ? ` after ${response.attempts} attempts` : '';
    context.log(`${endpoint} answered HTTP ${response.statusCode}${retried}`);
    const report = this.report(mapping, { body: message, request: { ...request }, response: responseContext(response) }, run);
    const status = report.status === 'SUCCESS' || report.status === 'FAILURE' ? report.status : ok ? 'SUCCESS' : 'FAILURE';
    const summary = report.summary ?? `${endpoint} answered HTTP ${response.statusCode}${retried}`;
    if (status === 'FAILURE') throw new WebhookFailedError(summary);
    return {
      summary,
      ...(report.link !== undefined && { link: report.link }),
      ...(report.externalRunId !== undefined && { externalRunId: report.externalRunId }),
    };
  }

  private render(mapping: InvocationMapping, message: JsonObject, run: ActionRun): WebhookRequest {
    const invocation = invocationMethodOf(message);
    const fields: Array<[string, MappingTemplate | undefined]> = [
      ['url', mapping.url],
      ['method', mapping.method],
      ['headers', mapping.headers],
      ['query', mapping.query],
      ['body', mapping.body],
    ];
    const present = fields.filter((entry): entry is [string, MappingTemplate] => entry[1] !== undefined);
    const values = evaluateExpressions(
      this.jq,
      present.flatMap(([, template]) => expressionsOf(template)),
      message,
    );
    this.warnFailures(values, mapping, run, 'request');
    const rendered = new Map<string, JsonValue>();
    let offset = 0;
    for (const [name, template] of present) {
      const count = expressionsOf(template).length;
      rendered.set(name, renderTemplate(template, values.slice(offset, offset + count)));
      offset += count;
    }
    const url = rendered.get('url');
    const method = rendered.get('method') ?? invocation['method'] ?? 'POST';
    if (typeof url !== 'string' || url === '')
      throw new WebhookFailedError(`webhook mapping ${mapping.index}: its url gave no URL for this run`);
    return {
      method: typeof method === 'string' ? method.toUpperCase() : 'POST',
      url,
      headers: stringMap(rendered.get('headers') ?? {}),
      query: stringMap(rendered.get('query') ?? {}),
      body: rendered.has('body') ? rendered.get('body')! : message,
    };
  }

  private report(
    mapping: InvocationMapping,
    input: JsonObject,
    run: ActionRun,
  ): { status?: string; summary?: string; link?: string[]; externalRunId?: string } {
    const report = mapping.report;
    if (report === undefined) return {};
    const keys = (['status', 'link', 'summary', 'externalRunId'] as const).filter((key) => report[key] !== undefined);
    const values = evaluateExpressions(
      this.jq,
      keys.map((key) => report[key]!),
      input,
    );
    this.warnFailures(values, mapping, run, 'report');
    const result: { status?: string; summary?: string; link?: string[]; externalRunId?: string } = {};
    keys.forEach((key, index) => {
      const field = values[index];
      const value = field !== undefined && 'value' in field ? field.value : null;
      if (value === null || value === undefined) return;
      if (key === 'link') {
        const links = (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
        if (links.length > 0) result.link = links;
      } else {
        result[key] = typeof value === 'string' ? value : JSON.stringify(value);
      }
    });
    return result;
  }

  /** jq's runtime errors quote the values they failed on, which may be inputs or secrets: only how many failed is logged. */
  private warnFailures(values: readonly FieldValue[], mapping: InvocationMapping, run: ActionRun, phase: string): void {
    const failed = values.filter((field) => 'error' in field).length;
    if (failed > 0) {
      this.logger.warn(`JQ expressions of a webhook mapping failed (${phase}); those fields are null`, {
        runId: run.runId,
        mapping: mapping.index,
        failed,
      });
    }
  }
}

function responseContext(response: WebhookResponse): JsonObject {
  return { statusCode: response.statusCode, headers: response.headers, json: response.json, text: response.text };
}
