/**
 * Stands in for `inversify` in the Lambda bundles. The use cases and a few adapters carry
 * `@injectable()` / `@inject(TOKEN)` for the container of the local gateway and the CLI
 * (src/entrypoints/container.ts); a Lambda function's composition root
 * (src/entrypoints/lambda/compose/*.ts) builds them with plain constructors, so there the decorators
 * only have to leave the classes as they are. inversify and reflect-metadata (~65 KiB, their
 * evaluation and the metadata maps) stay out of the bundles.
 *
 * Only these two are provided: a Lambda bundle that imports anything else of inversify (a
 * `Container`, `@optional()`, …) fails to build ("No matching export"), rather than running
 * without the behaviour it asked for.
 */

/** A class decorator that leaves the class unchanged. */
export function injectable(): <T>(target: T) => T {
  return (target) => target;
}

/** A parameter or property decorator that records nothing. */
export function inject(_token: unknown): (target: object, key: string | symbol | undefined, index?: number) => void {
  return () => undefined;
}
