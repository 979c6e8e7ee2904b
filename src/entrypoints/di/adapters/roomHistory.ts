import type { RoomHistory } from '../../../application/notifications/ports/RoomHistory.js';
import { DynamoRoomHistory } from '../../../adapters/aws/DynamoRoomHistory.js';
import { InMemoryRoomHistory } from '../../../adapters/memory/InMemoryRoomHistory.js';
import type { AdapterChoices } from '../../config/coreConfig.js';
import type { Wiring } from '../wiring.js';
import { dynamoDocumentClient } from './awsClients.js';
import { redisAdapters } from './redisSlot.js';

const HISTORIES: Record<AdapterChoices['history'], (wiring: Wiring) => RoomHistory> = {
  memory: (wiring) => new InMemoryRoomHistory(wiring.clock, wiring.config.core.history),
  dynamodb: (wiring) =>
    new DynamoRoomHistory(dynamoDocumentClient(wiring), wiring.config.aws.tables.history, wiring.clock, wiring.config.core.history),
  redis: (wiring) => redisAdapters(wiring).history(wiring.config.core.history),
};

/** `HERMES_HISTORY_STORE`: where rooms' seq counters and recent notifications are kept. */
export function roomHistory(wiring: Wiring): RoomHistory {
  return wiring.once('roomHistory', () => HISTORIES[wiring.config.core.adapters.history](wiring));
}
