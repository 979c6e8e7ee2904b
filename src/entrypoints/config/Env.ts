/** The environment variables hermes reads (a snapshot of `process.env`, or a test's own). */
export type Env = Readonly<Record<string, string | undefined>>;
