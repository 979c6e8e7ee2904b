import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoRunLedger } from '../../../../src/adapters/aws/DynamoRunLedger.js';
import { SystemClock } from '../../../../src/adapters/system/SystemClock.js';
import { tableDefinitions } from '../../../../src/entrypoints/provision/tableDefinitions.js';
import { dynamoDbLocal, uniqueName } from '../../../support/services/index.js';

/** A fresh run-ledger table on DynamoDB Local, as `hermes provision` creates it. */
export interface RunLedgerTable {
  readonly ddb: Awaited<ReturnType<typeof dynamoDbLocal>>;
  /** The client that made it: destroy it at the end. */
  readonly client: DynamoDBClient;
  readonly table: string;
  /**
   * A new ledger on the table: what two "processes" of a crash test share is only what survives a
   * crash, Kafka's committed offsets and this table.
   */
  ledger(): DynamoRunLedger;
}

export async function runLedgerTable(): Promise<RunLedgerTable> {
  const ddb = await dynamoDbLocal();
  const client = new DynamoDBClient(ddb);
  const table = uniqueName('run-ledger');
  const definition = tableDefinitions({ connections: 'c', grants: 'g', runLedger: table }).find((d) => d.input.TableName === table);
  if (definition === undefined) throw new Error('no run ledger table definition');
  await client.send(new CreateTableCommand(definition.input));
  return { ddb, client, table, ledger: () => new DynamoRunLedger(DynamoDBDocumentClient.from(client), table, new SystemClock()) };
}
