import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { ProvisionConflictError, type ProvisionStep } from './ProvisionStep.js';
import type { TableDefinition } from './tableDefinitions.js';

export interface TableProvisionOptions {
  readonly dryRun: boolean;
  /** Longest wait for a new table to become ACTIVE. */
  readonly maxWaitSeconds?: number;
}

/**
 * Makes each table match its definition: creates it when missing, adds a missing GSI to an
 * existing one (e.g. the seed's table, which had none) and enables TTL. Never deletes nor
 * rebuilds anything; a table with other keys is a {@link ProvisionConflictError}.
 */
export async function provisionTables(
  client: DynamoDBClient,
  definitions: readonly TableDefinition[],
  options: TableProvisionOptions,
): Promise<ProvisionStep[]> {
  const steps: ProvisionStep[] = [];
  for (const definition of definitions) steps.push(...(await provisionTable(client, definition, options)));
  return steps;
}

async function provisionTable(
  client: DynamoDBClient,
  definition: TableDefinition,
  options: TableProvisionOptions,
): Promise<ProvisionStep[]> {
  const { input, ttlAttribute } = definition;
  const name = input.TableName;
  const applied = !options.dryRun;
  const existing = await describeTable(client, name);

  if (!existing) {
    const indexes = (input.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).join(', ');
    const steps: ProvisionStep[] = [
      { kind: 'table', name, action: 'create', applied, detail: `${definition.purpose}${indexes ? `, GSI ${indexes}` : ''}` },
      { kind: 'ttl', name, action: 'create', applied, detail: `TTL on ${ttlAttribute}` },
    ];
    if (options.dryRun) return steps;
    await client.send(new CreateTableCommand(input));
    await waitUntilTableExists({ client, maxWaitTime: options.maxWaitSeconds ?? 300 }, { TableName: name });
    await enableTtl(client, name, ttlAttribute);
    return steps;
  }

  assertSameKeys(name, input.KeySchema ?? [], existing.KeySchema ?? []);
  const steps: ProvisionStep[] = [{ kind: 'table', name, action: 'none', applied: false, detail: definition.purpose }];
  for (const index of input.GlobalSecondaryIndexes ?? []) {
    steps.push(await provisionIndex(client, definition, existing, index, options));
  }
  steps.push(await provisionTtl(client, name, ttlAttribute, options));
  return steps;
}

async function provisionIndex(
  client: DynamoDBClient,
  definition: TableDefinition,
  table: TableDescription,
  index: GlobalSecondaryIndex,
  options: TableProvisionOptions,
): Promise<ProvisionStep> {
  const name = `${definition.input.TableName}/${index.IndexName}`;
  const found = table.GlobalSecondaryIndexes?.find((existing) => existing.IndexName === index.IndexName);
  if (found) {
    assertSameKeys(name, index.KeySchema ?? [], found.KeySchema ?? []);
    return { kind: 'index', name, action: 'none', applied: false };
  }
  const step: ProvisionStep = { kind: 'index', name, action: 'create', applied: !options.dryRun, detail: 'backfills in the background' };
  if (options.dryRun) return step;
  const provisioned = table.BillingModeSummary?.BillingMode !== 'PAY_PER_REQUEST' && table.ProvisionedThroughput;
  await client.send(
    new UpdateTableCommand({
      TableName: definition.input.TableName,
      AttributeDefinitions: definition.input.AttributeDefinitions,
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            ...index,
            ...(provisioned
              ? {
                  ProvisionedThroughput: {
                    ReadCapacityUnits: provisioned.ReadCapacityUnits ?? 5,
                    WriteCapacityUnits: provisioned.WriteCapacityUnits ?? 5,
                  },
                }
              : {}),
          },
        },
      ],
    }),
  );
  return step;
}

async function provisionTtl(
  client: DynamoDBClient,
  tableName: string,
  attribute: string,
  options: TableProvisionOptions,
): Promise<ProvisionStep> {
  const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = TimeToLiveDescription?.TimeToLiveStatus;
  const current = TimeToLiveDescription?.AttributeName;
  if ((status === 'ENABLED' || status === 'ENABLING') && current === attribute) {
    return { kind: 'ttl', name: tableName, action: 'none', applied: false, detail: `TTL on ${attribute}` };
  }
  if (status === 'ENABLED' || status === 'ENABLING' || status === 'DISABLING') {
    throw new ProvisionConflictError(
      `table ${tableName} has TTL ${status.toLowerCase()} on ${current ?? '?'}, not ${attribute}; change it by hand (AWS allows one TTL change per hour)`,
    );
  }
  const step: ProvisionStep = {
    kind: 'ttl',
    name: tableName,
    action: 'update',
    applied: !options.dryRun,
    detail: `enable TTL on ${attribute}`,
  };
  if (!options.dryRun) await enableTtl(client, tableName, attribute);
  return step;
}

async function enableTtl(client: DynamoDBClient, tableName: string, attribute: string): Promise<void> {
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: attribute } }),
  );
}

async function describeTable(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

function assertSameKeys(name: string, wanted: readonly KeySchemaElement[], actual: readonly KeySchemaElement[]): void {
  const describe = (keys: readonly KeySchemaElement[]): string =>
    keys.map((key) => `${key.AttributeName ?? '?'} ${key.KeyType ?? '?'}`).join(', ');
  if (describe(wanted) !== describe(actual)) {
    throw new ProvisionConflictError(`${name} exists with keys (${describe(actual)}), expected (${describe(wanted)})`);
  }
}
