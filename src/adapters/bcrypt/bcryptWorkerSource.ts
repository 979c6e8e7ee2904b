/**
 * The code each bcrypt worker runs, evaluated by `new Worker(source, { eval: true })`: no separate
 * file to locate, so the pool loads the same under tsx, tsc output and an esbuild bundle. The
 * worker uses bcryptjs' synchronous API (it blocks only its own thread) and answers one task at a time.
 * `workerData.bcryptjs` is the path of bcryptjs' CommonJS build, resolved by the pool.
 */
export const BCRYPT_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptjs);
parentPort.on('message', (task) => {
  try {
    const value = task.op === 'hash' ? bcrypt.hashSync(task.secret, task.cost) : bcrypt.compareSync(task.secret, task.hash);
    parentPort.postMessage({ id: task.id, ok: true, value });
  } catch (error) {
    parentPort.postMessage({ id: task.id, ok: false, message: error && error.message ? error.message : String(error) });
  }
});
`;

/** A task sent to a worker. */
export type BcryptTask =
  | { readonly id: number; readonly op: 'hash'; readonly secret: string; readonly cost: number }
  | { readonly id: number; readonly op: 'compare'; readonly secret: string; readonly hash: string };

/** A worker's answer. */
export type BcryptAnswer =
  | { readonly id: number; readonly ok: true; readonly value: string | boolean }
  | { readonly id: number; readonly ok: false; readonly message: string };
