/**
 * hermes' layer rules, checked by dependency-cruiser (`npm run lint:deps`; `npm test` runs them through
 * test/architecture/layers.test.ts). Paths are relative to the directory the cruise starts in, so the same
 * rules hold for the real tree (`src/...`) and for the broken fixture the test uses (test/architecture/fixtures/broken/src).
 *
 * Hexagonal layers: src/domain (pure) <- src/application (use cases, ports) <- src/adapters <- src/entrypoints.
 */

/** Packages that are infrastructure: the core (domain + application) must not see them. */
const INFRASTRUCTURE_PACKAGES = [
  'node_modules/@aws-sdk/',
  'node_modules/@smithy/',
  'node_modules/aws-sdk/',
  'node_modules/@aws-lambda-powertools/',
  'node_modules/kafkajs/',
  'node_modules/ws/',
  'node_modules/@types/ws/',
  'node_modules/jsonwebtoken/',
  'node_modules/@types/jsonwebtoken/',
  'node_modules/bcryptjs/',
  'node_modules/prom-client/',
];

/** The real tree (`src/`), or the broken fixture tree the layer test cruises to show that the rules fail. */
const SRC = '^(test/architecture/fixtures/broken/)?src/';

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-adapter-or-entrypoint',
      comment: 'domain and application depend on ports, never on an adapter or an entry point',
      severity: 'error',
      from: { path: `${SRC}(domain|application)/` },
      to: { path: `${SRC}(adapters|entrypoints)/` },
    },
    {
      name: 'core-imports-no-infrastructure-package',
      comment: 'domain and application import no AWS SDK, Powertools, kafkajs, ws, jsonwebtoken or bcryptjs',
      severity: 'error',
      from: { path: `${SRC}(domain|application)/` },
      to: { path: `(^|/)(${INFRASTRUCTURE_PACKAGES.map(escape).join('|')})` },
    },
    {
      name: 'domain-imports-only-domain',
      comment: 'the domain is pure: it imports no other part of src (packages such as zod and node: built-ins are fine)',
      severity: 'error',
      from: { path: `${SRC}domain/` },
      to: { path: SRC, pathNot: `${SRC}domain/` },
    },
    {
      name: 'adapters-import-no-entrypoint',
      comment: 'adapters are composed by entry points, never the other way round',
      severity: 'error',
      from: { path: `${SRC}adapters/` },
      to: { path: `${SRC}entrypoints/` },
    },
    {
      name: 'runs-reach-notifications-only-through-a-port',
      comment:
        'the runs feature announces run status through its own port (RunStatusListener); the composition root wires it to notifications',
      severity: 'error',
      from: { path: `${SRC}(application/runs|domain/runs)/` },
      to: { path: `${SRC}(application/notifications|domain/notification)/` },
    },
    {
      name: 'no-circular',
      comment:
        'a cycle means two modules are really one; split out what both need. Cycles made only of type-only imports (a config section naming the whole config type) vanish at compile time',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'src-imports-no-dev-dependency-at-run-time',
      comment:
        'the compiled CLI runs with production dependencies only; type-only imports vanish at compile time, the demo bundler loads esbuild only when no prebuilt bundle exists, and the gateway loads tsx (TypeScript handlers, --watch) only when it is installed',
      severity: 'error',
      from: {
        path: SRC,
        pathNot: [`${SRC}entrypoints/standalone/public/bundle\\.ts$`, `${SRC}entrypoints/standalone/template/functionHost\\.ts$`],
      },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to nothing fails at run time',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
