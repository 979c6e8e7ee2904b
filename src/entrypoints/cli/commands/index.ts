import type { Command } from '../Command.js';
import { invokeCommand } from './invoke.js';
import { portCommand } from './port.js';
import { publishCommand } from './publish.js';
import { provisionCommand } from './provision.js';
import { startCommand } from './start.js';
import { tokenCommand } from './token.js';

/** Every `hermes` sub-command. A new command is one import and one line here. */
export const COMMANDS: readonly Command[] = [startCommand, tokenCommand, publishCommand, provisionCommand, portCommand, invokeCommand];
