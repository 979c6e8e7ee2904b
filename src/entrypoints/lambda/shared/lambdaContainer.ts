import type { Container } from 'inversify';
import { buildContainer } from '../../container.js';

let container: Container | undefined;

/**
 * The container of this Lambda execution environment, built from `process.env` on first use. The
 * entry files call it at module scope, so it is built during Init and reused by warm invocations.
 */
export function lambdaContainer(): Container {
  container ??= buildContainer();
  return container;
}
