import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../../../src/entrypoints/config/ConfigurationError.js';
import { loadActionHandlerModules } from '../../../src/entrypoints/runner/actionHandlerModules.js';

async function problemsOf(promise: Promise<unknown>): Promise<readonly string[]> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  throw new Error('expected a ConfigurationError');
}

describe('HERMES_ACTION_HANDLERS (handler modules)', () => {
  let dir: string;
  const file = async (name: string, contents: string): Promise<string> => {
    await writeFile(join(dir, name), contents);
    return name;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hermes-handlers-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the examples (TypeScript, default export through hermes/runner), relative to the working directory', async () => {
    const handlers = await loadActionHandlerModules(
      ['examples/handlers/restartService.ts', 'examples/handlers/deleteVm.ts'],
      ['create_vm'],
    );
    expect(handlers.map((entry) => [entry.handler.action, entry.source])).to.deep.equal([
      ['restart_service', 'examples/handlers/restartService.ts'],
      ['delete_vm', 'examples/handlers/deleteVm.ts'],
    ]);
  });

  it('accepts an array of handlers in a JavaScript module', async () => {
    const name = await file(
      'two.mjs',
      `export default [{ action: 'a_one', handle: async () => ({}) }, { action: 'a_two', operations: ['DAY-2'], handle: async () => ({}) }];`,
    );
    const handlers = await loadActionHandlerModules([name], [], dir);
    expect(handlers.map((entry) => entry.handler.action)).to.deep.equal(['a_one', 'a_two']);
  });

  it('stops with every problem at once, each naming its file and why', async () => {
    const missing = 'nope.mjs';
    const broken = await file('broken.mjs', `export default {;`);
    const empty = await file('empty.mjs', `export const x = 1;`);
    const invalid = await file('invalid.mjs', `export default [{ action: 'ok_one', handle: async () => ({}) }, { action: 'no_handle' }];`);
    const problems = await problemsOf(loadActionHandlerModules([missing, broken, empty, invalid], [], dir));
    expect(problems).to.have.length(4);
    expect(problems[0]).to.match(/^HERMES_ACTION_HANDLERS: nope\.mjs could not be loaded: /);
    expect(problems[1]).to.match(/^HERMES_ACTION_HANDLERS: broken\.mjs could not be loaded: .*/);
    expect(problems[2]).to.equal(
      'HERMES_ACTION_HANDLERS: empty.mjs has no default export (export default defineActionHandler({...}), or an array of them)',
    );
    expect(problems[3]).to.equal('HERMES_ACTION_HANDLERS: invalid.mjs: handler 1 (no_handle) has no handle(run, ctx) function');
  });

  it('refuses two handlers claiming one action, naming both files', async () => {
    const first = await file('first.mjs', `export default { action: 'restart_service', handle: async () => ({}) };`);
    const second = await file('second.mjs', `export default { action: 'restart_service', handle: async () => ({}) };`);
    const problems = await problemsOf(loadActionHandlerModules([first, second], [], dir));
    expect(problems).to.deep.equal(['HERMES_ACTION_HANDLERS: action restart_service is claimed by both first.mjs and second.mjs']);
  });

  it('refuses a module claiming a built-in action', async () => {
    const mine = await file('mine.mjs', `export default { action: 'create_vm', handle: async () => ({}) };`);
    const problems = await problemsOf(loadActionHandlerModules([mine], ['create_vm'], dir));
    expect(problems).to.deep.equal([
      'HERMES_ACTION_HANDLERS: action create_vm is claimed by both the built-in create_vm handler and mine.mjs',
    ]);
  });
});
