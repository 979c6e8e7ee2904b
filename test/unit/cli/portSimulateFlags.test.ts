import { expect } from 'chai';
import { requireAll, UsageError } from '../../../src/entrypoints/cli/commands/args.js';
import { runCli } from '../../../src/entrypoints/cli/main.js';

function captureIo() {
  let out = '';
  let err = '';
  return { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), env: {}, err: () => err, out: () => out };
}

describe('hermes port simulate: missing flags', () => {
  const cases: Array<[string[], string]> = [
    [[], '--cpu, --memory, --storage and --region are required'],
    [['--cpu', '2'], '--memory, --storage and --region are required'],
    [['--cpu', '2', '--storage', '20'], '--memory and --region are required'],
    [['--cpu', '2', '--memory', '4', '--storage', '20'], '--region is required'],
    [['--memory', '4', '--storage', '20', '--region', 'eu-west-1', '--cpu', ' '], '--cpu is required'],
  ];
  for (const [flags, message] of cases) {
    it(`${flags.join(' ') || '(no flags)'} → one usage error naming all of them: "${message}"`, async () => {
      const io = captureIo();
      expect(await runCli(['port', 'simulate', 'create_vm', ...flags, '--dry-run'], io)).to.equal(2);
      expect(io.err()).to.include(`hermes port: ${message}\n`);
      expect(io.out()).to.equal('');
    });
  }

  it('requireAll passes when every flag has a value', () => {
    expect(() => requireAll({ '--a': 'x', '--b': 'y' })).to.not.throw();
    expect(() => requireAll({ '--a': undefined })).to.throw(UsageError, '--a is required');
  });
});
