import * as z from 'zod';
import { isJsonObject, type JsonValue } from '../shared/Json.js';
import { exceedsJsonNesting, MAX_JSON_NESTING_DEPTH } from '../shared/jsonNesting.js';
import { ActionRun } from './ActionRun.js';
import { RunMessageInvalidError } from './RunMessageInvalidError.js';

/** Port limits request bodies to 1 MiB; a bigger message is not a run. */
export const MAX_RUN_MESSAGE_BYTES = 1024 * 1024;

const RUN_ID = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_\-.:]+$/);
const IDENTIFIER = z.string().min(1).max(200);
const INPUTS = z.record(z.string(), z.json());
const NULLISH_TEXT = z.string().nullish();

/** An entity given either as its identifier or as an object carrying one. */
const ENTITY_REF = z
  .union([z.string(), z.looseObject({ identifier: z.string().optional() }), z.null()])
  .optional()
  .transform((entity) => (typeof entity === 'string' ? entity : (entity?.identifier ?? undefined)));

/** `trigger.by.userId` in both shapes (v2 payloads often copy Port's trigger object). */
const TRIGGER = z
  .union([
    z.looseObject({
      by: z.looseObject({ userId: z.string().optional() }).optional(),
      operation: z.string().optional(),
    }),
    z.string(),
  ])
  .optional();

/** The envelope of the tutorial (Port's v1 actions, and the default payload of v2 Kafka actions). */
const V1_ENVELOPE = z.looseObject({
  action: z.string().optional(),
  resourceType: z.literal('run', { error: 'resourceType is not "run"' }).optional(),
  trigger: TRIGGER,
  context: z.looseObject({ runId: RUN_ID, blueprint: NULLISH_TEXT, entity: NULLISH_TEXT }),
  payload: z.looseObject({
    entity: ENTITY_REF,
    action: z.looseObject({ identifier: IDENTIFIER, trigger: z.string().optional(), blueprint: NULLISH_TEXT }),
    properties: INPUTS.nullish(),
  }),
});

/** A v2 custom payload: its author picks the keys; these are the ones hermes understands. */
const V2_PAYLOAD = z.looseObject({
  action: z.union([IDENTIFIER, z.looseObject({ identifier: IDENTIFIER, trigger: z.string().optional(), blueprint: NULLISH_TEXT })]),
  context: z.looseObject({ runId: RUN_ID.optional(), blueprint: NULLISH_TEXT, entity: NULLISH_TEXT }).optional(),
  run: z.looseObject({ id: RUN_ID.optional() }).optional(),
  runId: RUN_ID.optional(),
  properties: INPUTS.optional(),
  inputs: INPUTS.optional(),
  trigger: TRIGGER,
  operation: z.string().optional(),
  blueprint: NULLISH_TEXT,
  entity: ENTITY_REF,
});

function decode(raw: unknown): unknown {
  if (typeof raw !== 'string' && !(raw instanceof Uint8Array)) return raw;
  const bytes = typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.byteLength;
  if (bytes === 0) throw new RunMessageInvalidError('the message is empty');
  if (bytes > MAX_RUN_MESSAGE_BYTES) throw new RunMessageInvalidError(`the message is larger than ${MAX_RUN_MESSAGE_BYTES} bytes`);
  const text = typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RunMessageInvalidError('the message is not JSON');
  }
}

/** Names the failing paths of a zod error without echoing any value. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

function operationOf(trigger: z.infer<typeof TRIGGER>): string | undefined {
  if (typeof trigger === 'string') return trigger;
  return trigger?.operation;
}

function triggeredByOf(trigger: z.infer<typeof TRIGGER>): string | undefined {
  return typeof trigger === 'object' ? trigger.by?.userId : undefined;
}

function fromV1(message: z.infer<typeof V1_ENVELOPE>): ActionRun {
  const { context, payload } = message;
  return new ActionRun({
    format: 'v1',
    runId: context.runId,
    action: payload.action.identifier,
    operation: payload.action.trigger ?? operationOf(message.trigger),
    blueprint: context.blueprint ?? payload.action.blueprint ?? undefined,
    entity: context.entity ?? payload.entity,
    inputs: payload.properties ?? {},
    triggeredBy: triggeredByOf(message.trigger),
  });
}

function fromV2(message: z.infer<typeof V2_PAYLOAD>): ActionRun {
  const runId = message.context?.runId ?? message.run?.id ?? message.runId;
  if (runId === undefined) throw new RunMessageInvalidError('no run id (context.runId, run.id or runId)');
  const action = typeof message.action === 'string' ? { identifier: message.action } : message.action;
  return new ActionRun({
    format: 'v2',
    runId,
    action: action.identifier,
    operation: ('trigger' in action ? action.trigger : undefined) ?? operationOf(message.trigger) ?? message.operation,
    blueprint: message.context?.blueprint ?? message.blueprint ?? ('blueprint' in action ? action.blueprint : undefined) ?? undefined,
    entity: message.context?.entity ?? message.entity,
    inputs: message.properties ?? message.inputs ?? {},
    triggeredBy: triggeredByOf(message.trigger),
  });
}

function looksLikeV1(message: { [key: string]: JsonValue }): boolean {
  const payload = message['payload'];
  return isJsonObject(payload) && isJsonObject(payload['action']) && isJsonObject(message['context']);
}

const INPUT_KEYS = ['properties', 'inputs'] as const;

/**
 * Bounds the nesting before schema validation (which recurses per level). When only the inputs are
 * too deep, they are replaced by `{}` and the run keeps its identity, to be reported FAILURE; when
 * the rest is too deep as well, the message is not a run.
 */
function boundNesting(message: { [key: string]: JsonValue }): { message: { [key: string]: JsonValue }; inputsProblem?: string } {
  if (!exceedsJsonNesting(message)) return { message };
  const shallow = { ...message };
  for (const key of INPUT_KEYS) if (key in shallow) shallow[key] = {};
  const payload = shallow['payload'];
  if (isJsonObject(payload) && 'properties' in payload) shallow['payload'] = { ...payload, properties: {} };
  if (exceedsJsonNesting(shallow)) {
    throw new RunMessageInvalidError(`the message is nested deeper than ${MAX_JSON_NESTING_DEPTH} levels`);
  }
  return { message: shallow, inputsProblem: `are nested deeper than ${MAX_JSON_NESTING_DEPTH} levels` };
}

/**
 * Reads a run from a message of the runs topic (raw bytes, text or parsed JSON), in either shape:
 * the v1 envelope (`context.runId`, `payload.action.identifier`, `payload.properties`) or a v2 custom
 * payload (`action` or `action.identifier`; `context.runId`, `run.id` or `runId`; `properties` or
 * `inputs`). Throws {@link RunMessageInvalidError} for anything else.
 */
export function parseActionRunMessage(raw: unknown): ActionRun {
  const decoded = decode(raw);
  if (!isJsonObject(decoded)) throw new RunMessageInvalidError('the message is not a JSON object');
  const { message, inputsProblem } = boundNesting(decoded);
  const run = parseRun(message);
  return inputsProblem === undefined ? run : new ActionRun({ ...run, inputsProblem });
}

function parseRun(message: { [key: string]: JsonValue }): ActionRun {
  const resourceType = message['resourceType'];
  if (resourceType !== undefined && resourceType !== 'run') {
    throw new RunMessageInvalidError('resourceType is not "run"');
  }
  if (looksLikeV1(message)) {
    const parsed = V1_ENVELOPE.safeParse(message);
    if (!parsed.success) throw new RunMessageInvalidError(describeIssues(parsed.error));
    return fromV1(parsed.data);
  }
  const parsed = V2_PAYLOAD.safeParse(message);
  if (!parsed.success) throw new RunMessageInvalidError(describeIssues(parsed.error));
  return fromV2(parsed.data);
}
