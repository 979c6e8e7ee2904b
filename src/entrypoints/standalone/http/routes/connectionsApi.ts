import type { RouteRegistration } from '../GatewayContext.js';
import { HttpError } from '../HttpError.js';
import type { RouteHandler } from '../HttpRouter.js';
import { readBody, sendJson } from '../httpIo.js';
import { throttleOf } from '../../websocket/TokenBucket.js';

/** An error shaped like API Gateway's, so the AWS SDK raises the named exception. */
function awsError(status: number, type: string, message: string): HttpError {
  return new HttpError(status, type, message, { 'x-amzn-errortype': type }, { message });
}

const gone = (): HttpError => awsError(410, 'GoneException', 'the connection is gone');
/** What API Gateway answers beyond the account's request rate; the AWS SDK retries it as throttling. */
const throttled = (): HttpError => awsError(429, 'LimitExceededException', 'Rate exceeded');

/**
 * The API Gateway Management API on the gateway's own port, with and without the stage prefix:
 * `POST` sends to a connection, `GET` describes it, `DELETE` closes it; an unknown id is a 410
 * with `x-amzn-ErrorType: GoneException`, which `ApiGatewayManagementApiClient` raises as `GoneException`
 * (so is a connection whose `$connect` has not completed, as on AWS). Beyond HERMES_CONNECTIONS_RPS
 * every call answers 429 `LimitExceededException`.
 */
export const connectionsApiRoutes: RouteRegistration = (router, context) => {
  const { websocket, config } = context;
  // HERMES_CONNECTIONS_RPS / HERMES_CONNECTIONS_BURST: one bucket for every @connections request, as the account-level throttle.
  const bucket = throttleOf(config.throttling.connectionsRps, config.throttling.connectionsBurst);
  const throttle =
    (handler: RouteHandler): RouteHandler =>
    (request) => {
      if (bucket && !bucket.take()) throw throttled();
      return handler(request);
    };
  const withStage =
    (handler: RouteHandler): RouteHandler =>
    (request) => {
      if (request.params['stage'] !== config.stage) throw awsError(403, 'ForbiddenException', 'Forbidden');
      return handler(request);
    };

  const post: RouteHandler = async ({ req, res, params }) => {
    const connection = websocket.get(params['connectionId'] ?? '');
    if (!connection) throw gone();
    let data: Buffer;
    try {
      data = await readBody(req, config.limits.maxMessageBytes);
    } catch (error) {
      if (error instanceof HttpError && error.status === 413) throw awsError(413, 'PayloadTooLargeException', 'Message too long');
      throw error;
    }
    const outcome = await connection.deliver(data.toString('utf8'));
    if (outcome.status !== 'delivered') throw gone();
    res.writeHead(200, { 'content-length': '0' });
    res.end();
  };

  const describe: RouteHandler = ({ res, params }) => {
    const connection = websocket.get(params['connectionId'] ?? '');
    if (!connection) throw gone();
    // AWS's wire names; the SDK maps them to ConnectedAt, Identity.SourceIp, LastActiveAt.
    sendJson(res, 200, {
      connectedAt: new Date(connection.connectedAt).toISOString(),
      identity: {
        sourceIp: connection.identity.sourceIp,
        ...(connection.identity.userAgent ? { userAgent: connection.identity.userAgent } : {}),
      },
      lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
    });
  };

  const remove: RouteHandler = ({ res, params }) => {
    const connection = websocket.get(params['connectionId'] ?? '');
    if (!connection) throw gone();
    connection.close(1000, 'Connection deleted');
    res.writeHead(204);
    res.end();
  };

  for (const prefix of ['/:stage', '']) {
    const wrap = (handler: RouteHandler): RouteHandler => throttle(prefix ? withStage(handler) : handler);
    router.add('POST', `${prefix}/@connections/:connectionId`, wrap(post));
    router.add('GET', `${prefix}/@connections/:connectionId`, wrap(describe));
    router.add('DELETE', `${prefix}/@connections/:connectionId`, wrap(remove));
  }
};
