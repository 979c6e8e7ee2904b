/**
 * The template evaluator lives in `src` (the local gateway reads its WebSocket API from the template at
 * run time); the template tests, the benchmarks and the LocalStack scripts keep importing it from here.
 */
export * from '../../src/entrypoints/standalone/template/cloudFormation.js';
