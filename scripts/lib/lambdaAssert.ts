/**
 * Stands in for `node:assert` in the Lambda bundles, for cls-hooked (the X-Ray SDK's context, under
 * Powertools Tracer), whose only use of it is `assert.ok(value, message)`. Loading the real module at
 * init also loads its error formatting, which sets up `process.stderr` to ask it for colours: several
 * milliseconds of every traced function's cold start for assertions that hold.
 */
export class AssertionError extends Error {
  readonly code = 'ERR_ASSERTION';

  constructor(message: string) {
    super(message);
    this.name = 'AssertionError';
  }
}

export function ok(value: unknown, message = 'The expression evaluated to a falsy value'): asserts value {
  if (!value) throw new AssertionError(message);
}
