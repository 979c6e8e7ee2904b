import { JqWasmEngine } from '../../adapters/jq/JqWasmEngine.js';
import { FetchWebhookClient } from '../../adapters/webhook/FetchWebhookClient.js';
import type { PortConfig } from '../config/portConfig.js';
import { loadActionHandlerModules } from './actionHandlerModules.js';
import { loadInvocationsFile } from './invocationsFile.js';
import { BUILT_IN_ACTIONS, type RunnerExtensions } from './runnerExtensions.js';

/** True when the Port section names handler modules or a mapping file: they are loaded at start-up. */
export function hasRunnerExtensions(port: PortConfig): boolean {
  return port.handlerModules.length > 0 || port.invocationsFile !== undefined;
}

/**
 * Loads `HERMES_ACTION_HANDLERS` and `HERMES_INVOCATIONS` once, at start-up: a module that does not
 * load, an action claimed twice, a mapping with a bad JQ or no url stop start-up with a
 * ConfigurationError naming the file (or mapping index) and why.
 */
export async function loadRunnerExtensions(
  port: PortConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<RunnerExtensions> {
  const handlers = await loadActionHandlerModules(port.handlerModules, BUILT_IN_ACTIONS);
  if (port.invocationsFile === undefined) return { handlers };
  const jq = await JqWasmEngine.load(env);
  const mappings = await loadInvocationsFile(port.invocationsFile, jq);
  return { handlers, invocations: { mappings, jq, client: new FetchWebhookClient() } };
}
