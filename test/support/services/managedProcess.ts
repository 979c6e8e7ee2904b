import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: Error;
}

export interface ManagedProcess {
  readonly pid: number | undefined;
  /** Resolves when the process has exited (or failed to spawn). */
  readonly exited: Promise<ProcessExit>;
  /** True once the process has exited. */
  hasExited(): boolean;
  /** The last part of what the process wrote to stdout and stderr. */
  outputTail(): string;
  /** Registers a callback for every chunk of stdout/stderr text. */
  onOutput(listener: (text: string) => void): void;
  /** SIGTERM, then SIGKILL after graceMs; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

const OUTPUT_TAIL_CHARS = 16_000;
const SETPRIV = '/usr/bin/setpriv';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

// Last line of defence: 'exit' handlers must be synchronous, so just SIGKILL.
function killAllOnExit(): void {
  for (const child of running) {
    child.kill('SIGKILL');
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killAllOnExit);
}

/**
 * Spawns a long-running helper process that can never outlive the test run:
 * it is killed on stop(), on process 'exit', and (on Linux, via setpriv's
 * parent-death signal) even when node itself is killed with SIGKILL.
 */
export function spawnManaged(command: string, args: readonly string[], options: SpawnOptions = {}): ManagedProcess {
  installExitHook();
  const [file, argv] = existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, [...args]];
  const child = spawn(file, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);

  let tail = '';
  const listeners: Array<(text: string) => void> = [];
  const collect = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-OUTPUT_TAIL_CHARS);
    for (const listener of listeners) listener(text);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let exitInfo: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('error', (error) => {
      // 'error' without a pid means the spawn itself failed; no 'exit' will follow.
      if (child.pid === undefined) {
        exitInfo = { code: null, signal: null, error };
        running.delete(child);
        resolve(exitInfo);
      }
    });
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      running.delete(child);
      resolve(exitInfo);
    });
  });

  return {
    pid: child.pid,
    exited,
    hasExited: () => exitInfo !== undefined,
    outputTail: () => tail,
    onOutput: (listener) => {
      listeners.push(listener);
    },
    async stop(graceMs = 5_000): Promise<void> {
      if (exitInfo) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export function describeExit(exit: ProcessExit): string {
  if (exit.error) return `failed to start: ${exit.error.message}`;
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${String(exit.code)}`;
}
