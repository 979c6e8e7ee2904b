import 'reflect-metadata';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoRunLedger } from '../../../../src/adapters/aws/DynamoRunLedger.js';
import { PortApiClient } from '../../../../src/adapters/port/PortApiClient.js';
import { SystemClock } from '../../../../src/adapters/system/SystemClock.js';
import { RUN_TOKENS } from '../../../../src/application/runs/tokens.js';
import type { Logger } from '../../../../src/application/shared/ports/Logger.js';
import { SHARED_TOKENS } from '../../../../src/application/shared/tokens.js';
import { buildContainer } from '../../../../src/entrypoints/container.js';
import { runConsumer, started } from './runConsumer.js';
import type { AwsServiceEndpoint } from '../../../support/services/awsEndpoint.js';
import { MOCK_CONSUMER_TUNING } from '../../../support/services/kafkaMockCluster.js';
import { GatedPortApi } from './gatedPortApi.js';

/**
 * The production Kafka runner in a process of its own, for a test to kill (SIGKILL, no shutdown).
 * The final status of `holdRunId` never reaches Port: when the process dies, that run was handled
 * (its outcome is in the ledger) but not reported. Tells its parent over IPC when a report starts.
 */
export interface CrashingRunnerConfig {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly groupId: string;
  readonly portUrl: string;
  readonly credentials: { readonly clientId: string; readonly clientSecret: string };
  readonly dynamo: AwsServiceEndpoint;
  readonly table: string;
  readonly holdRunId: string;
  /** Where a group without committed offsets starts (default true). */
  readonly fromBeginning?: boolean;
}

export type CrashingRunnerMessage = { readonly type: 'started' } | { readonly type: 'reporting'; readonly runId: string };

const config = JSON.parse(process.env['HERMES_TEST_CRASHING_RUNNER'] ?? '{}') as CrashingRunnerConfig;
const send = (message: CrashingRunnerMessage): void => {
  process.send?.(message);
};
const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const port = new GatedPortApi(new PortApiClient({ baseUrl: config.portUrl, credentials: async () => config.credentials }));
port.beforeReport = (runId) => {
  send({ type: 'reporting', runId });
  return runId === config.holdRunId ? new Promise<void>(() => undefined) : Promise.resolve();
};
const ledger = new DynamoRunLedger(DynamoDBDocumentClient.from(new DynamoDBClient(config.dynamo)), config.table, new SystemClock());
const container = buildContainer('memory', {
  env: { PORT_API_URL: config.portUrl, PORT_ORG_ID: 'org_it' },
  values: [
    [RUN_TOKENS.PortApi, port],
    [RUN_TOKENS.RunLedger, ledger],
    [SHARED_TOKENS.Logger, silent],
  ],
});
const consumer = runConsumer(
  container,
  { brokers: [...config.brokers], topic: config.topic, groupId: config.groupId, ssl: false },
  silent,
  {
    tuning: { fromBeginning: config.fromBeginning ?? true, consumerConfig: MOCK_CONSUMER_TUNING },
  },
);
await started(consumer);
send({ type: 'started' });
