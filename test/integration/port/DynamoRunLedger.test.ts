import { expect } from 'chai';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoRunLedger } from '../../../src/adapters/aws/DynamoRunLedger.js';
import { tableDefinitions } from '../../../src/entrypoints/provision/tableDefinitions.js';
import { dynamoDbLocal, uniqueName } from '../../support/services/index.js';
import { runLedgerContract } from '../../unit/runs/runLedgerContract.js';
import { ManualClock } from '../../unit/runs/support.js';

describe('DynamoRunLedger on DynamoDB Local', function () {
  this.timeout(60_000);
  const table = uniqueName('run-ledger');
  let client: DynamoDBClient;
  let documents: DynamoDBDocumentClient;

  before(async function () {
    const ddb = await dynamoDbLocal();
    client = new DynamoDBClient(ddb);
    documents = DynamoDBDocumentClient.from(client);
    // The table exactly as `hermes provision` creates it.
    const definition = tableDefinitions({ connections: 'unused-c', grants: 'unused-g', runLedger: table }).find(
      (candidate) => candidate.input.TableName === table,
    );
    if (definition === undefined) throw new Error('no run ledger table definition');
    await client.send(new CreateTableCommand(definition.input));
  });

  after(function () {
    client?.destroy();
  });

  runLedgerContract('DynamoRunLedger', async (clock) => new DynamoRunLedger(documents, table, clock), uniqueName);

  it('keeps items with a TTL (expires_at, epoch seconds) and counts claims', async function () {
    const clock = new ManualClock(Date.now());
    const ledger = new DynamoRunLedger(documents, table, clock, { retentionSeconds: 3_600 });
    const runId = uniqueName('run_ttl');
    await ledger.claim(runId, 'c1', 1_000);
    clock.advance(1_001);
    await ledger.claim(runId, 'c2', 1_000);
    const { Item } = await documents.send(new GetCommand({ TableName: table, Key: { run_id: runId } }));
    expect(Item).to.include({ run_id: runId, state: 'claimed', claim_id: 'c2', attempts: 2 });
    expect(Item?.['expires_at']).to.equal(Math.ceil(clock.now().getTime() / 1000) + 3_600);

    await ledger.markReported(runId);
    const { Item: reported } = await documents.send(new GetCommand({ TableName: table, Key: { run_id: runId } }));
    expect(reported).to.include({ state: 'reported' });
    expect(reported).not.to.have.property('claim_id');
  });
});
