import { InMemoryNotificationQueue } from '../../../src/adapters/memory/InMemoryNotificationQueue.js';
import { InMemoryRunLedger } from '../../../src/adapters/memory/InMemoryRunLedger.js';
import { InMemoryPortApi } from '../../../src/adapters/port/InMemoryPortApi.js';
import { PublishNotification } from '../../../src/application/notifications/usecases/PublishNotification.js';
import { ActionHandlerRegistry } from '../../../src/application/runs/ActionHandlerRegistry.js';
import type { ActionHandler } from '../../../src/application/runs/ActionHandler.js';
import { CreateVmHandler } from '../../../src/application/runs/handlers/CreateVmHandler.js';
import type { RunLedger } from '../../../src/application/runs/ports/RunLedger.js';
import type { RunResult } from '../../../src/application/runs/RunResult.js';
import type { RunnerSettings } from '../../../src/application/runs/RunnerSettings.js';
import { HandleActionRun } from '../../../src/application/runs/usecases/HandleActionRun.js';
import { ReportRunOutcome } from '../../../src/application/runs/usecases/ReportRunOutcome.js';
import { ActionExecutor } from '../../../src/application/runs/ActionExecutor.js';
import { IGNORE_RUN_STATUS } from '../../../src/application/runs/ports/RunStatusListener.js';
import { RunLease } from '../../../src/application/runs/RunLease.js';
import { RunProcessor } from '../../../src/application/runs/RunProcessor.js';
import { RunRouter, type MessageRoutes } from '../../../src/application/runs/RunRouter.js';
import type { SecretInputs } from '../../../src/application/runs/SecretInputs.js';
import { RunsRoomNotifier } from '../../../src/adapters/notifications/RunsRoomNotifier.js';
import type { Clock } from '../../../src/application/shared/ports/Clock.js';
import type { IdGenerator } from '../../../src/application/shared/ports/IdGenerator.js';
import { RecordingLogger } from '../../support/RecordingLogger.js';

export { RecordingLogger, type LogLine } from '../../support/RecordingLogger.js';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start = Date.parse('2024-05-01T10:00:00Z')) {
    this.current = start;
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

export class SequentialIds implements IdGenerator {
  private n = 0;

  next(): string {
    this.n += 1;
    return `id-${this.n}`;
  }
}

/** The tutorial's example message (v1 envelope), with a chosen run id and inputs. */
export function tutorialMessage(
  runId: string,
  properties: Record<string, unknown> = { title: 'Backend Prod VM', cpu: 2, memory: 4, storage: 50, region: 'eu-west-1' },
  trigger = 'CREATE',
  action = 'create_vm',
): Record<string, unknown> {
  return {
    action,
    resourceType: 'run',
    status: 'TRIGGERED',
    trigger: {
      by: {
        userId: 'h2Mf13aRSCYQCUPIcqufoP4XRLwAt8Od@clients',
        orgId: 'org_sYG4DOJZNGy8bYnt',
        user: { email: 'test@example.com', firstName: 'test', lastName: 'test', id: 'auth0|638879fa62c686d381b36ecb' },
      },
      at: '2022-07-14T11:38:10.629Z',
      origin: 'API',
    },
    context: { entity: null, blueprint: 'vm', runId },
    payload: {
      entity: null,
      action: {
        id: 'action_9mFmogL7kQ0fISGx',
        identifier: action,
        title: 'Create VM',
        icon: 'Server',
        userInputs: {
          properties: {
            cpu: { type: 'number', title: 'Number of CPU cores' },
            memory: { type: 'number', title: 'Size of memory' },
            storage: { type: 'number', title: 'Size of storage' },
            region: { type: 'string', title: 'Deployment region', enum: ['eu-west-1', 'eu-west-2', 'us-west-1', 'us-east-1'] },
          },
          required: ['cpu', 'memory', 'storage', 'region'],
        },
        invocationMethod: { type: 'KAFKA' },
        trigger,
        description: 'Create a new VM in cloud provider infrastructure',
        blueprint: 'vm',
        createdAt: '2022-07-14T09:39:01.885Z',
        createdBy: 'h2Mf13aRSCYQCUPIcqufoP4XRLwAt8Od@clients',
        updatedAt: '2022-07-14T09:39:01.885Z',
        updatedBy: 'h2Mf13aRSCYQCUPIcqufoP4XRLwAt8Od@clients',
      },
      properties,
    },
  };
}

/** One message through the whole pipeline, as the Kafka paths and the HTTP route run it. */
export interface RunMessageInput {
  readonly message: unknown;
  readonly source?: Readonly<Record<string, string | number>>;
}

export interface RunnerFixture {
  /** Parse, HandleActionRun, ReportRunOutcome: `execute` resolves with the run's result. */
  readonly handleRun: { execute(input: RunMessageInput): Promise<RunResult> };
  readonly processor: RunProcessor;
  readonly port: InMemoryPortApi;
  readonly ledger: RunLedger;
  readonly queue: InMemoryNotificationQueue;
  readonly clock: ManualClock;
  readonly logger: RecordingLogger;
  readonly registry: ActionHandlerRegistry;
  /** Notifications published to rooms, parsed from the queue. */
  notifications(): Promise<Array<{ room_id: string; type: string; data: Record<string, unknown> }>>;
}

export function runnerFixture(
  options: {
    settings?: Partial<RunnerSettings>;
    handlers?: (port: InMemoryPortApi) => ActionHandler[];
    ledger?: (clock: Clock) => RunLedger;
    port?: InMemoryPortApi;
    clock?: ManualClock;
    secretInputs?: SecretInputs;
    /** Webhook mappings (`HERMES_INVOCATIONS`): webhook-agent runs are then read as runs. */
    messageRoutes?: MessageRoutes;
  } = {},
): RunnerFixture {
  const clock = options.clock ?? new ManualClock();
  const ids = new SequentialIds();
  const logger = new RecordingLogger();
  const port = options.port ?? new InMemoryPortApi();
  const ledger = options.ledger?.(clock) ?? new InMemoryRunLedger(clock);
  const queue = new InMemoryNotificationQueue({ visibilityTimeoutMs: 30_000, maxReceiveCount: 5 });
  const registry = new ActionHandlerRegistry(
    options.handlers?.(port) ?? [new CreateVmHandler(port, { entityUrl: (bp, id) => `https://app.example/${bp}Entity?identifier=${id}` })],
  );
  const settings: RunnerSettings = { leaseMs: 60_000, runTimeoutMs: 900_000, runsRoom: 'port-org_test', ...options.settings };
  const publish = new PublishNotification(queue, ids, clock);
  const listener = settings.runsRoom === undefined ? IGNORE_RUN_STATUS : new RunsRoomNotifier(publish, settings.runsRoom);
  const handle = new HandleActionRun(
    new RunRouter(registry, settings.allowedActions, logger, options.messageRoutes),
    new RunLease(ledger, settings.leaseMs, ids, clock, logger),
    new ActionExecutor(port, ids, logger, { timeoutMs: settings.runTimeoutMs }),
    listener,
    logger,
    options.secretInputs,
  );
  const processor = new RunProcessor(handle, new ReportRunOutcome(port, ledger, listener, logger), logger, {
    acceptWebhookAgentRuns: options.messageRoutes !== undefined,
  });
  return {
    handleRun: { execute: (input) => processor.process(input.message, input.source) },
    processor,
    port,
    ledger,
    queue,
    clock,
    logger,
    registry,
    notifications: async () => {
      const received: Array<{ room_id: string; type: string; data: Record<string, unknown> }> = [];
      for (;;) {
        const batch = await queue.receive(10);
        if (batch.length === 0) break;
        for (const message of batch) {
          received.push(JSON.parse(message.body) as { room_id: string; type: string; data: Record<string, unknown> });
          queue.delete(message.receiptHandle);
        }
      }
      return received;
    },
  };
}
