import { RunDeferredError } from '../../../../application/runs/errors/RunDeferredError.js';
import type { RunProcessor } from '../../../../application/runs/RunProcessor.js';
import { MAX_RUN_MESSAGE_BYTES } from '../../../../domain/runs/parseActionRunMessage.js';
import { exceedsJsonNesting, MAX_JSON_NESTING_DEPTH } from '../../../../domain/shared/jsonNesting.js';
import { ConfigurationError } from '../../../config/ConfigurationError.js';
import type { RouteRegistration } from '../GatewayContext.js';
import { HttpError } from '../HttpError.js';
import { readJsonBody, sendJson } from '../httpIo.js';

function invalid(detail: string): HttpError {
  return new HttpError(422, 'RUN_MESSAGE_INVALID', `not a Port action run message: ${detail}`);
}

/** The body as JSON, refused (422) when it is not JSON or nests deeper than a run message may. */
function parsedBody(body: Buffer): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw invalid(body.length === 0 ? 'the message is empty' : 'the message is not JSON');
  }
  if (exceedsJsonNesting(parsed)) throw invalid(`the message is nested deeper than ${MAX_JSON_NESTING_DEPTH} levels`);
  return parsed;
}

/**
 * `POST /{stage}/port/runs` (admin key): one message of the runs topic, in either shape, handed to
 * the in-process runner as if it came from Kafka — `hermes port simulate` without Kafka or a Port
 * account. Answers the run's result: 200 (completed, duplicate, or skipped with its reason), 422 for
 * a message that is not a run (not JSON, nested too deeply, not a run's shape), 503 when the run
 * must be retried or the runner is not configured.
 */
export const portRunRoutes: RouteRegistration = (router, context) => {
  const runner = (): Pick<RunProcessor, 'process'> => {
    try {
      return context.useCases.runProcessor();
    } catch (error) {
      if (error instanceof ConfigurationError) throw new HttpError(503, 'RUNNER_NOT_CONFIGURED', error.message);
      throw error;
    }
  };

  router.add('POST', context.stagePath('/port/runs'), async ({ req, res }) => {
    context.requireAdmin(req);
    const message = parsedBody(await readJsonBody(req, MAX_RUN_MESSAGE_BYTES));
    let result;
    try {
      result = await runner().process(message, { via: 'http' });
    } catch (error) {
      if (!(error instanceof RunDeferredError)) throw error;
      const retryAfter: Record<string, string> =
        error.retryAfterMs === undefined ? {} : { 'retry-after': String(Math.ceil(error.retryAfterMs / 1000)) };
      throw new HttpError(503, error.code, error.message, retryAfter);
    }
    if (result.kind === 'skipped' && result.reason === 'invalid-message') throw invalid(result.detail ?? 'unrecognised');
    sendJson(res, 200, result);
  });
};
