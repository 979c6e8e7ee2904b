import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { cruise, type ICruiseOptions, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

// The layer rules live in .dependency-cruiser.cjs (also run by `npm run lint:deps`); this test runs the same
// rules through dependency-cruiser's API, over src and over a fixture tree that breaks every one of them.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BROKEN_TREE = 'test/architecture/fixtures/broken/src';

async function cruiseTree(tree: string): Promise<ICruiseResult> {
  const options: ICruiseOptions = { ...(await extractDepcruiseOptions(`${ROOT}.dependency-cruiser.cjs`)), baseDir: ROOT };
  const result = await cruise([tree], options, {}, { tsConfig: extractTSConfig(`${ROOT}tsconfig.json`) });
  return result.output as ICruiseResult;
}

/** Each violation as `rule: from -> to` (a cycle as its whole path). */
function violationsOf(result: ICruiseResult): string[] {
  return (result.summary.violations ?? []).map(({ rule, from, to, cycle }) => {
    const target = cycle !== undefined ? cycle.map((step) => step.name).join(' -> ') : to;
    return `${rule.name}: ${from} -> ${target}`;
  });
}

async function forbiddenRules(): Promise<IForbiddenRuleType[]> {
  return (await extractDepcruiseOptions(`${ROOT}.dependency-cruiser.cjs`)).ruleSet?.forbidden ?? [];
}

describe('layer rules (dependency-cruiser, .dependency-cruiser.cjs)', function () {
  this.timeout(60_000);

  let violations: string[];
  before(async () => {
    violations = violationsOf(await cruiseTree('src'));
  });

  it('src breaks none of them', async () => {
    const names = (await forbiddenRules()).map((rule) => rule.name);
    expect(names).to.include.members([
      'core-imports-no-adapter-or-entrypoint',
      'core-imports-no-infrastructure-package',
      'domain-imports-only-domain',
      'adapters-import-no-entrypoint',
      'runs-reach-notifications-only-through-a-port',
      'no-circular',
    ]);
    expect(violations).to.deep.equal([]);
  });

  it('reports every broken import of the fixture tree (the rules can fail)', async () => {
    const broken = violationsOf(await cruiseTree(BROKEN_TREE)).map((line) => line.replaceAll(`${BROKEN_TREE}/`, ''));
    expect(broken).to.have.members([
      'core-imports-no-adapter-or-entrypoint: domain/Order.ts -> adapters/memory/MemoryOrders.ts',
      'domain-imports-only-domain: domain/Order.ts -> adapters/memory/MemoryOrders.ts',
      'core-imports-no-infrastructure-package: domain/Order.ts -> node_modules/kafkajs/index.js',
      'adapters-import-no-entrypoint: adapters/memory/MemoryOrders.ts -> entrypoints/cli.ts',
      'runs-reach-notifications-only-through-a-port: application/runs/RunFinished.ts -> application/notifications/Notify.ts',
      'no-circular: application/notifications/Notify.ts -> application/runs/RunFinished.ts -> application/notifications/Notify.ts',
      'src-imports-no-dev-dependency-at-run-time: entrypoints/cli.ts -> node_modules/esbuild/lib/main.js',
      'not-to-unresolvable: entrypoints/cli.ts -> ./missing.js',
    ]);
  });

  it('the fixture breaks every rule at least once', async () => {
    const broken = new Set((await cruiseTree(BROKEN_TREE)).summary.violations.map((violation) => violation.rule.name));
    expect([...broken]).to.have.members((await forbiddenRules()).map((rule) => rule.name ?? ''));
  });
});
