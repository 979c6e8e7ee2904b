import 'reflect-metadata';
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Command, CommandIo } from './Command.js';
import { wantsHelp } from './commands/args.js';
import { redactUrl } from '../../domain/shared/redactUrl.js';
import { cliMessage, errorReply } from '../shared/errorReplies.js';
import { COMMANDS } from './commands/index.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

function help(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'hermes: room notifications over WebSocket and a Port self-service action runner (on AWS, or all local)',
    '',
    'Usage: hermes <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `hermes <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

/**
 * Runs one `hermes` invocation; resolves to the exit code (0 ok, 1 failure, 2 usage error).
 * `commands` defaults to the registry in commands/index.ts.
 */
export async function runCli(argv: readonly string[], io: CommandIo, commands: readonly Command[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help(commands));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`hermes: unknown command "${name}"\n\n${help(commands)}`);
    return 2;
  }
  if (wantsHelp(rest)) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // The shared error mapping decides the exit code; the local user sees the message, whatever the error.
    const { exitCode } = errorReply(error);
    const hint = exitCode === 2 ? `\nRun \`hermes ${command.name} --help\` for its options.` : '';
    // Last line of defence: whatever the error quotes, no URL's userinfo reaches the terminal.
    io.stderr(`hermes ${command.name}: ${redactUrl(cliMessage(error))}${hint}\n`);
    return exitCode;
  }
}

/** The real terminal and environment. */
export function processIo(): CommandIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  };
}

/** Runs the CLI and exits with its code; used by bin/hermes.js and `tsx main.ts`. */
export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), processIo());
  process.exitCode = code;
  // Whatever a library may leave running (a timer, a socket), the process ends with the command.
  setTimeout(() => process.exit(code), 1_000).unref();
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(realpathSync(entry)).href) await main();
