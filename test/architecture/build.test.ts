import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { spawnManaged } from '../support/services/managedProcess.js';

// `npm run build` output, run the way an installed hermes runs: node bin/hermes.js with production dependencies
// only. The build goes to a scratch copy (package.json, bin/, dist/, node_modules linked), never to ./dist, so
// other tests keep running the source. Every import is checked by support/denyDevDependencies.mjs.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DENY_DEV_DEPENDENCIES = fileURLToPath(new URL('./support/denyDevDependencies.mjs', import.meta.url));
const ENV = {
  PATH: process.env['PATH'],
  JWT_SECRET: 'build-test-jwt-secret-0123456789abcdef0123456789abcdef',
  TOKEN_PASSCODE: 'build-test-passcode',
  BCRYPT_COST: '4',
  HERMES_PORT: '0',
};

describe('production build (npm run build, then node bin/hermes.js without tsx)', function () {
  this.timeout(180_000);
  let home: string;
  let bin: string;

  before(() => {
    home = mkdtempSync(join(tmpdir(), 'hermes-build-'));
    mkdirSync(join(home, 'bin'));
    copyFileSync(join(ROOT, 'package.json'), join(home, 'package.json'));
    copyFileSync(join(ROOT, 'bin', 'hermes.js'), join(home, 'bin', 'hermes.js'));
    // The gateway reads its WebSocket API from the package's template.yaml.
    copyFileSync(join(ROOT, 'template.yaml'), join(home, 'template.yaml'));
    symlinkSync(join(ROOT, 'node_modules'), join(home, 'node_modules'), 'dir');
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'build.ts'), join(home, 'dist')], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    bin = join(home, 'bin', 'hermes.js');
  });

  after(() => {
    if (home !== undefined) rmSync(home, { recursive: true, force: true });
  });

  it('--help runs from dist', () => {
    const help = spawnSync(process.execPath, ['--import', DENY_DEV_DEPENDENCIES, bin, '--help'], { cwd: '/', encoding: 'utf8', env: ENV });
    expect(help.status, help.stderr).to.equal(0);
    expect(help.stdout).to.include('Usage: hermes <command>');
  });

  it('start (port 0) serves the demo page and its prebuilt browser modules, and stops on SIGTERM', async () => {
    const child = spawnManaged(process.execPath, ['--import', DENY_DEV_DEPENDENCIES, bin, 'start'], { cwd: '/', env: ENV });
    try {
      const deadline = Date.now() + 30_000;
      let url: string | undefined;
      while (url === undefined) {
        url = /open the demo:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(child.outputTail())?.[1];
        if (child.hasExited() || Date.now() > deadline) throw new Error(`hermes start did not come up:\n${child.outputTail()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const page = await fetch(`${url}/`);
      expect(page.status).to.equal(200);
      expect(await page.text()).to.include('<html');
      for (const path of ['/demo.js', '/hermes-client.js']) {
        const module = await fetch(`${url}${path}`);
        expect(module.status, `${path}: ${child.outputTail()}`).to.equal(200);
        expect(module.headers.get('content-type')).to.match(/^text\/javascript/);
        expect((await module.text()).length, path).to.be.greaterThan(100);
      }
      process.kill(child.pid as number, 'SIGTERM');
      expect(await child.exited, child.outputTail()).to.deep.include({ code: 0, signal: null });
      expect(child.outputTail()).to.not.include('run-time import of a');
    } finally {
      await child.stop();
    }
  });

  it('the guard fails a run that needs tsx (the check can fail)', () => {
    const fromSource = spawnSync(process.execPath, ['--import', DENY_DEV_DEPENDENCIES, bin, '--help'], {
      cwd: '/',
      encoding: 'utf8',
      env: { ...ENV, HERMES_FROM_SOURCE: '1' },
    });
    expect(fromSource.status).to.not.equal(0);
    expect(fromSource.stderr).to.include('run-time import of a devDependency tsx');
  });
});
