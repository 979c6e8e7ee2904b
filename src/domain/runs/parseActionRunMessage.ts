import * as z from 'zod/mini';
import '../shared/zodMessages.js';
import { isJsonObject, type JsonValue } from '../shared/Json.js';
import { exceedsJsonNesting, MAX_JSON_NESTING_DEPTH } from '../shared/jsonNesting.js';
import { ActionRun } from './ActionRun.js';
import { RunMessageInvalidError } from './RunMessageInvalidError.js';
import { RunMessageNotForRunnerError } from './RunMessageNotForRunnerError.js';

/** Port limits request bodies to 1 MiB; a bigger message is not a run. */
export const MAX_RUN_MESSAGE_BYTES = 1024 * 1024;

const RUN_ID = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9_\-.:]+$/));
const IDENTIFIER = z.string().check(z.minLength(1), z.maxLength(200));
const INPUTS = z.record(z.string(), z.json());
const TEXT = z.optional(z.string());
const NULLISH_TEXT = z.nullish(z.string());

/** An entity given either as its identifier or as an object carrying one. */
const ENTITY_REF = z.pipe(
  z.optional(z.union([z.string(), z.looseObject({ identifier: TEXT }), z.null()])),
  z.transform((entity) => (typeof entity === 'string' ? entity : (entity?.identifier ?? undefined))),
);

/** `trigger.by.userId` in both shapes (v2 payloads often copy Port's trigger object). */
const TRIGGER = z.optional(z.union([z.looseObject({ by: z.optional(z.looseObject({ userId: TEXT })), operation: TEXT }), z.string()]));

const NAMES = z.array(z.string().check(z.maxLength(200))).check(z.maxLength(1000));

/** `payload.action` of the v1 envelope, the top-level `action` of trigger data and custom payloads. */
const ACTION_OBJECT = z.looseObject({
  identifier: z.optional(IDENTIFIER),
  trigger: TEXT,
  blueprint: NULLISH_TEXT,
  encryptedProperties: z.nullish(NAMES),
  invocationMethod: z.optional(z.looseObject({ type: TEXT, agent: z.optional(z.boolean()) })),
});

/**
 * Every shape Port sends on the runs topic, read field by field: the v1 envelope (also what the
 * guide's v2 payload renders, with only `invocationMethod` and `trigger` in `payload.action`), the
 * trigger-data object (`{{ . }}`) and custom payloads (their author picks the keys). zod's mini
 * build: its schemas cost a cold start a fraction of the classic ones'.
 */
const RUN_MESSAGE = z.looseObject({
  action: z.optional(z.union([IDENTIFIER, ACTION_OBJECT])),
  context: z.optional(z.looseObject({ runId: z.optional(RUN_ID), blueprint: NULLISH_TEXT, entity: ENTITY_REF })),
  port_context: z.optional(z.looseObject({ runId: z.optional(RUN_ID), run_id: z.optional(RUN_ID) })),
  run: z.optional(z.looseObject({ id: z.optional(RUN_ID) })),
  runId: z.optional(RUN_ID),
  payload: z.optional(
    z.looseObject({
      entity: ENTITY_REF,
      action: z.optional(ACTION_OBJECT),
      properties: z.nullish(INPUTS),
      censoredProperties: z.nullish(NAMES),
    }),
  ),
  properties: z.nullish(INPUTS),
  inputs: z.nullish(INPUTS),
  trigger: TRIGGER,
  operation: TEXT,
  blueprint: NULLISH_TEXT,
  entity: ENTITY_REF,
});

type RunMessage = z.infer<typeof RUN_MESSAGE>;

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
function describeIssues(error: z.core.$ZodError): string {
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

function runIdOf(message: RunMessage): string | undefined {
  return message.context?.runId ?? message.port_context?.runId ?? message.port_context?.run_id ?? message.run?.id ?? message.runId;
}

function actionObjectOf(message: RunMessage): z.infer<typeof ACTION_OBJECT> | undefined {
  return typeof message.action === 'object' ? message.action : undefined;
}

function actionIdentifierOf(message: RunMessage): string | undefined {
  return message.payload?.action?.identifier ?? (typeof message.action === 'string' ? message.action : message.action?.identifier);
}

/** Port's agent forwards webhook runs; they reach the topic too, and are not this runner's. */
function isWebhookAgentRun(message: RunMessage): boolean {
  const invocation = message.payload?.action?.invocationMethod ?? actionObjectOf(message)?.invocationMethod;
  return invocation?.type === 'WEBHOOK';
}

function toRun(message: RunMessage, runId: string, action: string): ActionRun {
  const actionObject = actionObjectOf(message);
  const payloadAction = message.payload?.action;
  return new ActionRun({
    format: payloadAction?.identifier !== undefined ? 'v1' : 'v2',
    runId,
    action,
    operation: payloadAction?.trigger ?? actionObject?.trigger ?? operationOf(message.trigger) ?? message.operation,
    blueprint: message.context?.blueprint ?? payloadAction?.blueprint ?? actionObject?.blueprint ?? message.blueprint ?? undefined,
    entity: message.context?.entity ?? message.payload?.entity ?? message.entity,
    inputs: message.payload?.properties ?? message.properties ?? message.inputs ?? {},
    encryptedInputs: message.payload?.censoredProperties ?? actionObject?.encryptedProperties ?? payloadAction?.encryptedProperties ?? [],
    triggeredBy: triggeredByOf(message.trigger),
  });
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
 * Reads a run from a message of the runs topic (raw bytes, text or parsed JSON), in any shape Port
 * sends: the v1 envelope, the guide's v2 payload, the trigger-data object or a custom payload (run id
 * at `context.runId`, `port_context.runId`, `port_context.run_id`, `run.id` or `runId`). Throws
 * {@link RunMessageNotForRunnerError} for Port messages that are not this runner's (workflow-node
 * runs, change logs, webhook-agent runs, no action identifier), {@link RunMessageInvalidError} for
 * anything else.
 */
export function parseActionRunMessage(raw: unknown, options: ParseRunOptions = {}): ActionRun {
  const decoded = decode(raw);
  if (!isJsonObject(decoded)) throw new RunMessageInvalidError('the message is not a JSON object');
  const { message, inputsProblem } = boundNesting(decoded);
  const run = parseRun(message, options);
  return new ActionRun({ ...run, message: decoded, ...(inputsProblem !== undefined && { inputsProblem }) });
}

/** How strict the reading is. */
export interface ParseRunOptions {
  /** Read runs meant for Port's webhook agent (`invocationMethod.type` `WEBHOOK`) as runs: this runner forwards them (`HERMES_INVOCATIONS`). */
  readonly acceptWebhookAgentRuns?: boolean;
}

function parseRun(message: { [key: string]: JsonValue }, options: ParseRunOptions): ActionRun {
  const resourceType = message['resourceType'];
  if (resourceType !== undefined && resourceType !== 'run') {
    throw new RunMessageInvalidError('resourceType is not "run"');
  }
  if ('changelogDestination' in message || 'diff' in message) {
    const context = message['context'];
    const runId = isJsonObject(context) && typeof context['runId'] === 'string' ? context['runId'] : undefined;
    throw new RunMessageNotForRunnerError('change-log', runId !== undefined && RUN_ID.safeParse(runId).success ? runId : undefined);
  }
  const parsed = RUN_MESSAGE.safeParse(message);
  if (!parsed.success) throw new RunMessageInvalidError(describeIssues(parsed.error));
  const runId = runIdOf(parsed.data);
  if (runId?.startsWith('wfnr_') === true) throw new RunMessageNotForRunnerError('workflow-node-run', runId);
  if (options.acceptWebhookAgentRuns !== true && isWebhookAgentRun(parsed.data))
    throw new RunMessageNotForRunnerError('webhook-agent-run', runId);
  if (runId === undefined) {
    throw new RunMessageInvalidError('no run id (context.runId, port_context.runId, port_context.run_id, run.id or runId)');
  }
  const action = actionIdentifierOf(parsed.data);
  if (action === undefined) throw new RunMessageNotForRunnerError('no-action-identifier', runId);
  return toRun(parsed.data, runId, action);
}
