import type { RunLedger } from '../../../application/runs/ports/RunLedger.js';
import { DynamoRunLedger } from '../../../adapters/aws/DynamoRunLedger.js';
import { InMemoryRunLedger } from '../../../adapters/memory/InMemoryRunLedger.js';
import type { AdapterChoices } from '../../config/coreConfig.js';
import type { Wiring } from '../wiring.js';
import { dynamoDocumentClient } from './awsClients.js';
import { redisAdapters } from './redisSlot.js';

const RUN_LEDGERS: Record<AdapterChoices['runLedger'], (wiring: Wiring) => RunLedger> = {
  memory: (wiring) => new InMemoryRunLedger(wiring.clock),
  dynamodb: (wiring) => new DynamoRunLedger(dynamoDocumentClient(wiring), wiring.config.aws.tables.runLedger, wiring.clock),
  redis: (wiring) => redisAdapters(wiring).runLedger,
};

/** `HERMES_RUN_LEDGER`: the ledger of handled runs (its own switch, not the connection store's). */
export function runLedger(wiring: Wiring): RunLedger {
  return wiring.once('runLedger', () => RUN_LEDGERS[wiring.config.core.adapters.runLedger](wiring));
}
