import type { JsonValue } from '../../../domain/shared/Json.js';

/** A request field of a mapping: a string is a JQ expression; objects and arrays hold expressions at their leaves; anything else is literal. */
export type MappingTemplate = JsonValue;

/** port-agent's `report` block: JQ expressions over `{body, request, response}`. */
export interface ReportMapping {
  readonly status?: string;
  readonly link?: string;
  readonly summary?: string;
  readonly externalRunId?: string;
}

/**
 * One mapping of port-agent's "control the payload" file (`HERMES_INVOCATIONS`): when `enabled`
 * (a boolean, or a JQ expression over the run message that yields `true`), the run is sent to
 * `url` with `method`, `headers`, `query` and `body` rendered from the message, and `report`
 * turns the answer into the run's status, link, summary and external run id.
 */
export interface InvocationMapping {
  /** Position in the file (0-based), named in errors and logs. */
  readonly index: number;
  readonly enabled: boolean | string;
  readonly url: string;
  /** Default: the invocation method's `method`, else POST. */
  readonly method?: string;
  readonly headers?: MappingTemplate;
  readonly query?: MappingTemplate;
  /** Default: the whole run message. */
  readonly body?: MappingTemplate;
  readonly report?: ReportMapping;
}
