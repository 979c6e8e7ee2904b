import { stopSharedServices } from './sharedServices.js';

/** Mocha global fixture: load this file through .mocharc.json "require". */
export async function mochaGlobalTeardown(): Promise<void> {
  await stopSharedServices();
}
