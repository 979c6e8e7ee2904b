/**
 * Stands in for `semver` in the Lambda bundles. Its only user there is jsonwebtoken, which asks
 * whether the running Node supports RSA-PSS and key details (`>=15.7.0`, `>=16.9.0`, `^6.12.0 || >=8.0.0`).
 * The bundles target nodejs22.x, where every such range holds; the full parser is 28 KiB.
 */
export function satisfies(): boolean {
  return true;
}
