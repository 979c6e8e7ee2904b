import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { freePort } from '../../support/services/freePort.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string): string => readFileSync(new URL(path, new URL(`file://${ROOT}`)), 'utf8');

interface Lock {
  readonly packages: Record<
    string,
    { readonly engines?: { readonly node?: string }; readonly hasInstallScript?: boolean; readonly optional?: boolean }
  >;
}

/** `[major, minor, patch]` of `20`, `20.19`, `v20.19.2` or `10.x`. */
function version(text: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = text
    .replace(/^v/, '')
    .split('.')
    .map((part) => (part === 'x' ? 0 : Number(part)));
  return [major, minor, patch];
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i += 1) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/** Whether `node` satisfies an `engines.node` range, in the forms the lock file holds (`>=X`, `^X.Y.Z`, `X`, `||`, spaces = and). */
function satisfies(node: string, range: string): boolean {
  const v = version(node);
  return range.split('||').some((alternative) =>
    (
      alternative
        .trim()
        .replace(/(>=|\^)\s+/g, '$1')
        .match(/\S+/g) ?? []
    ).every((comparator) => {
      if (comparator.startsWith('>=')) return compare(v, version(comparator.slice(2))) >= 0;
      const base = version(comparator.replace(/^\^/, ''));
      if (comparator.startsWith('^')) return v[0] === base[0] && compare(v, base) >= 0;
      return v[0] === base[0];
    }),
  );
}

describe('Node.js policy: develop on Node >= 20.19, deploy on nodejs22.x', () => {
  const pkg = JSON.parse(read('package.json')) as {
    engines: { node: string };
    allowScripts?: Record<string, boolean>;
    scripts: Record<string, string>;
  };
  const lock = JSON.parse(read('package-lock.json')) as Lock;
  const floor = version(pkg.engines.node.replace(/^>=\s*/, '')).join('.');

  it('.nvmrc names the Lambda runtime major, as do the template, the bundler target and the Dockerfile', () => {
    const major = read('.nvmrc').trim();
    expect(major).to.equal('22');
    expect(read('template.yaml')).to.match(new RegExp(`Runtime: nodejs${major}\\.x`));
    expect(read('scripts/build-lambda.ts')).to.include(`target: 'node${major}'`);
    expect(read('Dockerfile')).to.include(`public.ecr.aws/lambda/nodejs:${major}`);
    expect(satisfies(`${major}.0.0`, pkg.engines.node), 'engines admits the runtime').to.equal(true);
  });

  it('engines is the lowest Node every installed package supports, and this machine meets it (no EBADENGINE on install)', () => {
    expect(pkg.engines.node).to.equal('>=20.19');
    expect(satisfies(process.version, pkg.engines.node), process.version).to.equal(true);
    const refusing = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.engines?.node !== undefined)
      .filter(([, entry]) => !satisfies(floor, entry.engines?.node as string))
      .map(([path, entry]) => `${path} (node ${entry.engines?.node})`);
    expect(refusing).to.deep.equal([]);
  });

  it('every dependency with an install script is approved or denied in allowScripts (no npm allowScripts warning)', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    expect(withScripts).to.include('esbuild');
    for (const name of withScripts) expect(pkg.allowScripts ?? {}, name).to.have.property(name);
  });

  it('npm start runs node itself (exec), so the signals npm forwards reach the gateway', () => {
    expect(pkg.scripts['start']).to.equal('exec node bin/hermes.js start');
  });

  it('the CLI prints no AWS SDK Node-version notice, even on Node 20', async function () {
    this.timeout(30_000);
    const closed = `http://127.0.0.1:${await freePort()}`;
    const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _set, ...env } = process.env;
    const run = spawnSync(process.execPath, ['bin/hermes.js', 'provision', '--profile', 'localstack'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, AWS_ENDPOINT_URL: closed },
    });
    expect(run.status).to.equal(1);
    expect(run.stderr).to.include('cannot reach DynamoDB');
    expect(run.stderr).to.not.include('NodeVersionSupportWarning').and.not.include('AWS SDK for JavaScript');
  });

  it('satisfies() reads the ranges of the lock file', () => {
    expect(satisfies('20.19.0', '>=22')).to.equal(false);
    expect(satisfies('20.19.0', '^20.19.0 || >=22.12.0')).to.equal(true);
    expect(satisfies('20.18.0', '^20.19.0 || >=22.12.0')).to.equal(false);
    expect(satisfies('20.19.0', '18 || 20 || >=22')).to.equal(true);
    expect(satisfies('20.19.0', '>=16 || 14 >=14.17')).to.equal(true);
    expect(satisfies('20.19.0', '>= 20.19.0')).to.equal(true);
  });
});
