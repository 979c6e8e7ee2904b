// `hermes/runner` (package.json "exports"): the compiled entry after `npm run build`, else the
// TypeScript source, which the tsx loader `hermes` registers (bin/hermes.js) runs. The same rule as bin/hermes.js.
import { existsSync } from 'node:fs';

const compiled = new URL('./dist/runner.js', import.meta.url);
const fromSource = process.env.HERMES_FROM_SOURCE === '1' || !existsSync(compiled);
const entry = await import(fromSource ? new URL('./src/runner.ts', import.meta.url).href : compiled.href);

export const defineActionHandler = entry.defineActionHandler;
export const ActionInputInvalidError = entry.ActionInputInvalidError;
export const DomainError = entry.DomainError;
export const TransientError = entry.TransientError;
