/**
 * The Lambda functions hermes deploys: one entry file `src/entrypoints/lambda/<name>.ts` each, bundled
 * to `dist/lambda/<name>/index.mjs`. The SAM template, the bundler, `hermes invoke`, the benchmark and
 * the tests all read this list, and a test checks the template's functions against it.
 */
export const LAMBDA_HANDLER_NAMES = [
  'authorizer',
  'connect',
  'disconnect',
  'sendMessage',
  'resume',
  'presence',
  'default',
  'queue',
  'action-runner',
] as const;

export type LambdaHandlerName = (typeof LAMBDA_HANDLER_NAMES)[number];

export interface LambdaHandlerSpec {
  readonly name: LambdaHandlerName;
  /** Logical id of its `AWS::Serverless::Function` in `template.yaml`. */
  readonly logicalId: string;
  /** What invokes it on AWS. */
  readonly trigger: string;
  /** Function timeout, as deployed (`hermes invoke` applies it too). */
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

/** Per function: how it is triggered and sized. Keep `template.yaml` in step (a test compares them). */
export const LAMBDA_HANDLERS: Readonly<Record<LambdaHandlerName, LambdaHandlerSpec>> = {
  authorizer: {
    name: 'authorizer',
    logicalId: 'AuthorizerFunction',
    trigger: 'WebSocket $connect REQUEST authorizer',
    timeoutSeconds: 10,
    // bcrypt is CPU-bound; Lambda allots CPU in proportion to memory.
    memoryMb: 512,
  },
  connect: { name: 'connect', logicalId: 'ConnectFunction', trigger: 'WebSocket route $connect', timeoutSeconds: 10, memoryMb: 256 },
  disconnect: {
    name: 'disconnect',
    logicalId: 'DisconnectFunction',
    trigger: 'WebSocket route $disconnect',
    timeoutSeconds: 10,
    memoryMb: 256,
  },
  sendMessage: {
    name: 'sendMessage',
    logicalId: 'SendMessageFunction',
    trigger: 'WebSocket route sendMessage',
    // API Gateway stops waiting for an integration after 29 s.
    timeoutSeconds: 29,
    memoryMb: 256,
  },
  resume: {
    name: 'resume',
    logicalId: 'ResumeFunction',
    trigger: 'WebSocket route resume',
    // Replays up to HERMES_HISTORY_SIZE posts one after the other; API Gateway waits 29 s at most.
    timeoutSeconds: 29,
    memoryMb: 256,
  },
  presence: { name: 'presence', logicalId: 'PresenceFunction', trigger: 'WebSocket route presence', timeoutSeconds: 10, memoryMb: 256 },
  default: { name: 'default', logicalId: 'DefaultFunction', trigger: 'WebSocket route $default', timeoutSeconds: 10, memoryMb: 256 },
  queue: {
    name: 'queue',
    logicalId: 'QueueFunction',
    trigger: 'SQS event source mapping (notification queue)',
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  'action-runner': {
    name: 'action-runner',
    logicalId: 'ActionRunnerFunction',
    trigger: 'self-managed Kafka event source mapping (ORG_ID.runs)',
    timeoutSeconds: 60,
    memoryMb: 256,
  },
};

export function isLambdaHandlerName(value: string): value is LambdaHandlerName {
  return (LAMBDA_HANDLER_NAMES as readonly string[]).includes(value);
}
