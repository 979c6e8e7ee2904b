/** Where a command writes; injectable so commands are testable without a terminal. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** One `hermes <name>` sub-command. */
export interface Command {
  readonly name: string;
  /** One line for `hermes --help`. */
  readonly summary: string;
  /** Full `hermes <name> --help` text. */
  readonly usage: string;
  /** Resolves to the process exit code (0 ok, 1 failure, 2 usage error). */
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}
