import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Resolves with the exit code (or signal) of `child`, or rejects after `timeoutMs`. */
function exited(child: ChildProcess, timeoutMs: number): Promise<number | NodeJS.Signals> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running ${timeoutMs} ms after SIGTERM`)), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal as NodeJS.Signals));
    });
  });
}

/** True while some process of the group `pgid` is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start as a process manager runs it: SIGTERM to npm stops the gateway', function () {
  this.timeout(90_000);

  it('npm forwards SIGTERM to the gateway, which closes gracefully; nothing is left running', async () => {
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      // Its own process group, so that the test can see whether any process of it outlives npm.
      detached: true,
      env: { ...process.env, HERMES_PORT: '0', HERMES_ADMIN_KEY: 'npm-start-test-key-0123456789', POWERTOOLS_LOG_LEVEL: 'SILENT' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid as number;
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes('Press Ctrl+C to stop.')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the gateway did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const url = /open the demo:\s+(http:\/\/\S+?)\//.exec(output)?.[1] as string;
      expect((await fetch(`${url}/health`)).status).to.equal(200);

      child.kill('SIGTERM'); // to npm only, as a process manager does: not to the group
      expect(await exited(child, 15_000), output).to.equal(0);
      expect(output).to.include('SIGTERM received: closing connections').and.include('hermes stopped');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(groupAlive(pid), 'a process of `npm start` outlived it').to.equal(false);
      const after = await fetch(`${url}/health`).then(
        () => 'answered',
        () => 'refused',
      );
      expect(after).to.equal('refused');
    } finally {
      if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
    }
  });
});
