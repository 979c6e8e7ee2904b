import { fileURLToPath } from 'node:url';
import { spawnManaged, type ManagedProcess } from '../../../support/services/managedProcess.js';
import { testEnv } from './gatewayHarness.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../../../bin/hermes.js', import.meta.url));

/** A `hermes start` process that has come up. */
export interface StartedHermes {
  readonly process: ManagedProcess;
  /** `http://127.0.0.1:PORT`, from the demo URL it printed. */
  readonly url: string;
}

/** Waits until the child printed the demo URL; returns the base URL. */
async function startedUrl(child: ManagedProcess, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /open the demo:\s+(http:\/\/[^\s/]+)\//.exec(child.outputTail());
    if (match) return match[1] as string;
    if (child.hasExited()) throw new Error(`hermes start exited early:\n${child.outputTail()}`);
    if (Date.now() > deadline) throw new Error(`hermes start did not come up:\n${child.outputTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Runs `hermes start <args>` (bin/hermes.js, from the repository root) with the test gateway's
 * environment, INFO logs and `extra`, and waits up to `timeoutMs` for it to print its demo URL;
 * a process that does not come up is stopped.
 */
export async function startHermes(args: readonly string[], extra: Record<string, string>, timeoutMs: number): Promise<StartedHermes> {
  const child = spawnManaged(process.execPath, [BIN, 'start', ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'], ...testEnv(), POWERTOOLS_LOG_LEVEL: 'INFO', ...extra },
  });
  try {
    return { process: child, url: await startedUrl(child, timeoutMs) };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
