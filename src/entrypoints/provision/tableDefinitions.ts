import type { CreateTableCommandInput, GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import { ROOM_INDEX_NAME, ROOM_INDEX_PROJECTED_ATTRIBUTES } from '../../adapters/aws/DynamoConnectionRepository.js';
import type { AwsConfig } from '../config/awsConfig.js';

/** Every hermes table expires its items through this TTL attribute (epoch seconds). */
export const TTL_ATTRIBUTE = 'expires_at';

/** What one table must look like: keys, indexes and TTL. On-demand capacity. */
export interface TableDefinition {
  /** What the table is for, in the provisioning report. */
  readonly purpose: string;
  readonly input: CreateTableCommandInput & { readonly TableName: string };
  readonly ttlAttribute: string;
}

/** The tables, named as configured (the history table only when named: callers older than it pass three names). */
export function tableDefinitions(
  tables: Omit<AwsConfig['tables'], 'history'> & { readonly history?: string | undefined },
): TableDefinition[] {
  const roomIndex: GlobalSecondaryIndex = {
    IndexName: ROOM_INDEX_NAME,
    KeySchema: [
      { AttributeName: 'room_id', KeyType: 'HASH' },
      { AttributeName: 'connection_id', KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...ROOM_INDEX_PROJECTED_ATTRIBUTES] },
  };
  const definitions: TableDefinition[] = [
    {
      purpose: 'connections',
      ttlAttribute: TTL_ATTRIBUTE,
      input: {
        TableName: tables.connections,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'connection_id', AttributeType: 'S' },
          { AttributeName: 'room_id', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'connection_id', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [roomIndex],
      },
    },
    {
      purpose: 'connection grants',
      ttlAttribute: TTL_ATTRIBUTE,
      input: {
        TableName: tables.grants,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'user_id', AttributeType: 'S' },
          { AttributeName: 'room_id', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'user_id', KeyType: 'HASH' },
          { AttributeName: 'room_id', KeyType: 'RANGE' },
        ],
      },
    },
    {
      purpose: 'Port run ledger',
      ttlAttribute: TTL_ATTRIBUTE,
      input: {
        TableName: tables.runLedger,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'run_id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'run_id', KeyType: 'HASH' }],
      },
    },
  ];
  if (tables.history !== undefined) definitions.push(historyTable(tables.history));
  return definitions;
}

/** Room histories: `room_id` + `seq` (item 0 is the room's counter). */
function historyTable(tableName: string): TableDefinition {
  return {
    purpose: 'room histories',
    ttlAttribute: TTL_ATTRIBUTE,
    input: {
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'room_id', AttributeType: 'S' },
        { AttributeName: 'seq', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'room_id', KeyType: 'HASH' },
        { AttributeName: 'seq', KeyType: 'RANGE' },
      ],
    },
  };
}
