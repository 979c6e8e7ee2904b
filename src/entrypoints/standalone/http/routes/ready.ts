import type { ReadinessCheck } from '../../../../application/shared/ports/ReadinessCheck.js';
import { errorMessage } from '../../../../domain/shared/HermesError.js';
import type { RouteRegistration } from '../GatewayContext.js';
import { sendJson } from '../httpIo.js';

/** Each check gets this long, so that `/ready` always answers within 2 s. */
export const READINESS_TIMEOUT_MS = 1_500;

interface CheckResult {
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

async function run(check: ReadinessCheck): Promise<CheckResult> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`));
    }, READINESS_TIMEOUT_MS);
  });
  try {
    await Promise.race([check.check(controller.signal), timeout]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - started), error: errorMessage(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /ready`: readiness, for load balancers and Kubernetes. 200 only when every adapter the
 * profile uses answers (DynamoDB, SQS, Redis, the Kafka consumer joined); otherwise 503 naming
 * the ones that do not (`failing`). `/health` stays liveness.
 */
export const readyRoutes: RouteRegistration = (router, context) => {
  router.add('GET', '/ready', async ({ res }) => {
    const checks = context.observability.readinessChecks;
    const results = await Promise.all(checks.map(run));
    const byName = Object.fromEntries(checks.map((check, i) => [check.name, results[i] as CheckResult]));
    const failing = checks.filter((_, i) => !(results[i] as CheckResult).ok).map((check) => check.name);
    sendJson(res, failing.length === 0 ? 200 : 503, {
      status: failing.length === 0 ? 'ready' : 'not_ready',
      failing,
      checks: byName,
    });
  });
};
