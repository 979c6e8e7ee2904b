import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNNER = fileURLToPath(new URL('./invoke-bundle.mjs', import.meta.url));
const MARKER = '@@hermes-invoke@@';

export interface BundleRun {
  readonly ok: boolean;
  /** Import (module initialisation) time of the bundle, in ms. */
  readonly initMs?: number;
  /** CPU time (user + system, every thread) the process spent on that initialisation, in ms. */
  readonly initCpuMs?: number;
  /** Whether `reflect-metadata` was loaded by the bundle. */
  readonly reflectMetadata?: boolean;
  /** What the function's loader reports: whether V8 compiled it from the shipped code cache. */
  readonly codeCacheStatus?: 'accepted' | 'rejected' | 'absent';
  readonly result?: unknown;
  readonly phase?: 'init' | 'invoke';
  readonly errorType?: string;
  readonly errorMessage?: string;
  /** Everything the process printed besides the report (logs). */
  readonly output: string;
}

export interface BundleRunOptions {
  /** The process' whole environment (nothing is inherited). */
  readonly env: Readonly<Record<string, string>>;
  /** Working directory (default: the bundle's). */
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

/** Imports a Lambda bundle in a fresh `node` process and, given an event file, invokes its handler. */
export function runBundle(bundle: string, eventFile: string | undefined, options: BundleRunOptions): Promise<BundleRun> {
  const args = [RUNNER, bundle, ...(eventFile ? [eventFile] : [])];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { env: { ...options.env }, cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((candidate) => candidate.startsWith(MARKER));
        if (!line) {
          reject(new Error(`${bundle}: no result (${error?.message ?? 'no error'})\n${stdout}\n${stderr}`));
          return;
        }
        const output = `${stdout.replace(line, '')}${stderr}`.trim();
        resolve({ ...(JSON.parse(line.slice(MARKER.length)) as Omit<BundleRun, 'output'>), output });
      },
    );
  });
}
