import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Env } from './Env.js';

/** The development secrets hermes generates on the `memory` profile when they are not configured. */
export type DevSecretName = 'JWT_SECRET' | 'TOKEN_PASSCODE' | 'HERMES_ADMIN_KEY';

/** Default place of the development secrets, relative to the working directory (git-ignored). */
export const DEFAULT_DEV_SECRETS_FILE = '.hermes/dev-secrets.json';

const BYTES: Readonly<Record<DevSecretName, number>> = { JWT_SECRET: 48, TOKEN_PASSCODE: 48, HERMES_ADMIN_KEY: 24 };

/** Generated development secrets: handed out on demand, and kept where the next start finds them. */
export interface DevSecrets {
  /** The kept value of `name`, or a new random one (kept on {@link save}). */
  get(name: DevSecretName): string;
  /** Writes the values handed out, when one was new; no-op otherwise. */
  save(): void;
  /** Where they are kept; undefined when they live only in this process. */
  readonly path: string | undefined;
}

function generate(name: DevSecretName): string {
  return randomBytes(BYTES[name]).toString('base64url');
}

/** Secrets for this process only (tests, Lambda): a new value each time. */
export function ephemeralDevSecrets(): DevSecrets {
  const values = new Map<DevSecretName, string>();
  return {
    path: undefined,
    get: (name) => {
      const value = values.get(name) ?? generate(name);
      values.set(name, value);
      return value;
    },
    save: () => undefined,
  };
}

function readKept(path: string): Partial<Record<DevSecretName, string>> {
  if (!existsSync(path)) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    const kept: Partial<Record<DevSecretName, string>> = {};
    for (const name of Object.keys(BYTES) as DevSecretName[]) {
      const value = (parsed as Record<string, unknown>)[name];
      if (typeof value === 'string' && value.length >= 32) kept[name] = value;
    }
    return kept;
  } catch {
    // An unreadable file is replaced by fresh secrets rather than stopping a development start.
    return {};
  }
}

/**
 * Development secrets kept in a local JSON file (mode 0600): `HERMES_DEV_SECRETS_FILE`, else
 * `.hermes/dev-secrets.json` under `cwd`. Only values hermes would otherwise generate go there;
 * explicitly configured variables always win and are never written.
 */
export function fileDevSecrets(env: Env, cwd: string = process.cwd()): DevSecrets {
  const path = resolve(cwd, env['HERMES_DEV_SECRETS_FILE']?.trim() || DEFAULT_DEV_SECRETS_FILE);
  const kept = readKept(path);
  let changed = false;
  return {
    path,
    get: (name) => {
      const existing = kept[name];
      if (existing !== undefined) return existing;
      changed = true;
      const value = generate(name);
      kept[name] = value;
      return value;
    },
    save: () => {
      if (!changed) return;
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, `${JSON.stringify(kept, null, 2)}\n`, { mode: 0o600 });
      chmodSync(path, 0o600);
      changed = false;
    },
  };
}
