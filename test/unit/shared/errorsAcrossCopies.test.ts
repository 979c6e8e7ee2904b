import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import * as inputErrors from '../../../src/domain/runs/ActionInputInvalidError.js';
import * as errors from '../../../src/domain/shared/HermesError.js';
import { failureOutcome } from '../../../src/application/runs/failureOutcome.js';

type ErrorModule = typeof errors;
type InputErrorModule = typeof inputErrors;
const { DomainError, HermesError, isRetryable, PermanentError, TransientError } = errors;
const { ActionInputInvalidError } = inputErrors;

const SRC = new URL('../../../src/domain/', import.meta.url);

/**
 * A handler module may bring its own copy of hermes (it bundles `hermes/runner`, or resolves the
 * package's compiled `dist/` while the runner runs `src/`): its errors are other classes with the same
 * names. Here that copy is the very sources, copied elsewhere and imported again.
 */
describe('hermes errors thrown by another copy of hermes', function () {
  let dir: string;
  let foreign: ErrorModule;
  let foreignInputs: InputErrorModule;

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), 'hermes-copy-'));
    mkdirSync(join(dir, 'shared'));
    mkdirSync(join(dir, 'runs'));
    cpSync(new URL('shared/HermesError.ts', SRC), join(dir, 'shared', 'HermesError.ts'));
    cpSync(new URL('runs/ActionInputInvalidError.ts', SRC), join(dir, 'runs', 'ActionInputInvalidError.ts'));
    foreign = (await import(pathToFileURL(join(dir, 'shared', 'HermesError.ts')).href)) as ErrorModule;
    foreignInputs = (await import(pathToFileURL(join(dir, 'runs', 'ActionInputInvalidError.ts')).href)) as InputErrorModule;
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('are another class hierarchy (the case this is about)', function () {
    expect(foreign.DomainError).to.not.equal(DomainError);
    const error = new foreignInputs.ActionInputInvalidError('create_vm', [{ field: 'cpu', reason: 'is required' }]);
    expect(Object.getPrototypeOf(Object.getPrototypeOf(error))).to.not.equal(DomainError.prototype);
  });

  it('still belong to their branch: HermesError, DomainError, TransientError, PermanentError', function () {
    class Throttled extends foreign.TransientError {
      readonly code = 'THROTTLED';
      constructor() {
        super('slow down', 500);
      }
    }
    class Refused extends foreign.PermanentError {
      readonly code = 'REFUSED';
      constructor() {
        super('no');
      }
    }
    const invalid = new foreignInputs.ActionInputInvalidError('create_vm', [{ field: 'cpu', reason: 'is required' }]);
    expect(invalid).to.be.instanceOf(HermesError).and.instanceOf(DomainError);
    expect(invalid).to.not.be.instanceOf(TransientError).and.not.instanceOf(PermanentError);
    expect(new Throttled()).to.be.instanceOf(TransientError).and.not.instanceOf(DomainError);
    expect(isRetryable(new Throttled())).to.equal(true);
    expect(new Refused()).to.be.instanceOf(PermanentError).and.instanceOf(HermesError);
    // Leaf classes stay plain instanceof: across copies they are told by code.
    expect(invalid).to.not.be.instanceOf(ActionInputInvalidError);
    expect(new Error('plain')).to.not.be.instanceOf(HermesError);
  });

  it('end a run as the same FAILURE as hermes’ own: invalid inputs stay "Invalid input"', function () {
    const own = failureOutcome('create_vm', new ActionInputInvalidError('create_vm', [{ field: 'cpu', reason: 'is required' }]), 'ref-1');
    const copied = failureOutcome(
      'create_vm',
      new foreignInputs.ActionInputInvalidError('create_vm', [{ field: 'cpu', reason: 'is required' }]),
      'ref-2',
    );
    expect(copied).to.deep.equal(own);
    expect(copied).to.include({
      status: 'FAILURE',
      statusLabel: 'Invalid input',
      summary: 'invalid inputs for create_vm: cpu is required',
    });
  });
});
