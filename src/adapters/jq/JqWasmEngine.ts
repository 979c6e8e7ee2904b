import { loadJq, type Jq } from 'jq-wasm';
import type { JqEngine } from '../../application/runs/ports/JqEngine.js';
import type { JsonValue } from '../../domain/shared/Json.js';

/**
 * jq itself (jqlang/jq 1.8, compiled to WebAssembly by the `jq-wasm` package): the language
 * port-agent's mapping files are written in, with every builtin. `env` reads the environment given
 * here (the process's by default), as port-agent's `env.GITLAB_URL` expects.
 */
export class JqWasmEngine implements JqEngine {
  private readonly flags: string[];

  private constructor(
    private readonly jq: Jq,
    env: Readonly<Record<string, string | undefined>>,
  ) {
    const defined = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
    this.flags = ['--argjson', '__hermes_env', JSON.stringify(defined)];
  }

  /** Compiles the WebAssembly module once (tens of milliseconds); calls are synchronous afterwards. */
  static async load(env: Readonly<Record<string, string | undefined>> = process.env): Promise<JqWasmEngine> {
    return new JqWasmEngine(await loadJq(), env);
  }

  first(program: string, input: JsonValue): JsonValue | undefined {
    const result = this.jq.raw(input, this.withEnv(program), ['-c', ...this.flags]);
    if (result.exitCode !== 0) throw new Error(firstLine(result.stderr) || `jq exited with ${result.exitCode}`);
    const first = result.stdout.split('\n').find((line) => line.trim() !== '');
    return first === undefined ? undefined : (JSON.parse(first) as JsonValue);
  }

  compileError(program: string): string | undefined {
    // Run as written (jq's own `env` compiles as ours does), so the error's line and column are the author's.
    // Over null a valid program may still fail at run time: only a compile error counts.
    const result = this.jq.raw(null, program);
    if (result.exitCode === 0) return undefined;
    return result.stderr.includes('compile error') ? compact(result.stderr) : undefined;
  }

  private withEnv(program: string): string {
    return `def env: $__hermes_env;\n${program}`;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

/** jq's multi-line compile message on one line, without the `jq: ` prefixes. */
function compact(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== '^')
    .join(' ')
    .replace(/\s+/g, ' ');
}
