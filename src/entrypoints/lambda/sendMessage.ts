import { loadConfig } from '../config/loadConfig.js';
import { composeSendMessageFunction } from './compose/sendMessage.js';
import { createSendMessageHandler } from './handlers/sendMessage.js';

/** Lambda entry point: configuration read and the function composed once per execution environment (module scope). */
export const handler = createSendMessageHandler(composeSendMessageFunction(loadConfig(process.env)));
