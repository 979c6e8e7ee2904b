import { RunDeferredError } from '../../../../application/runs/errors/RunDeferredError.js';
import { RUN_TOKENS } from '../../../../application/runs/tokens.js';
import type { HandleActionRun } from '../../../../application/runs/usecases/HandleActionRun.js';
import { MAX_RUN_MESSAGE_BYTES } from '../../../../domain/runs/parseActionRunMessage.js';
import { ConfigurationError } from '../../../config/ConfigurationError.js';
import type { RouteRegistration } from '../GatewayContext.js';
import { HttpError } from '../HttpError.js';
import { readJsonBody, sendJson } from '../httpIo.js';

/**
 * `POST /{stage}/port/runs` (admin key): one message of the runs topic, in either shape, handed to
 * the in-process runner as if it came from Kafka — `hermes port simulate` without Kafka or a Port
 * account. Answers the run's result: 200 (completed, duplicate, or skipped with its reason), 422 for
 * a message that is not a run, 503 when the run must be retried or the runner is not configured.
 */
export const portRunRoutes: RouteRegistration = (router, context) => {
  let handleRun: HandleActionRun | undefined;
  const runner = (): HandleActionRun => {
    try {
      handleRun ??= context.container.get<HandleActionRun>(RUN_TOKENS.HandleActionRun);
      return handleRun;
    } catch (error) {
      if (error instanceof ConfigurationError) throw new HttpError(503, 'RUNNER_NOT_CONFIGURED', error.message);
      throw error;
    }
  };

  router.add('POST', context.stagePath('/port/runs'), async ({ req, res }) => {
    context.requireAdmin(req);
    const body = await readJsonBody(req, MAX_RUN_MESSAGE_BYTES);
    let result;
    try {
      result = await runner().execute({ message: body, source: { via: 'http' } });
    } catch (error) {
      if (!(error instanceof RunDeferredError)) throw error;
      const retryAfter: Record<string, string> =
        error.retryAfterMs === undefined ? {} : { 'retry-after': String(Math.ceil(error.retryAfterMs / 1000)) };
      throw new HttpError(503, error.code, error.message, retryAfter);
    }
    if (result.kind === 'skipped' && result.reason === 'invalid-message') {
      throw new HttpError(422, 'RUN_MESSAGE_INVALID', `not a Port action run message: ${result.detail ?? 'unrecognised'}`);
    }
    sendJson(res, 200, result);
  });
};
