import type { OtherNodeConnections, RouteRegistration } from '../GatewayContext.js';
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
  const otherNodes = (): OtherNodeConnections | undefined => context.otherNodes?.();
  const withStage =
    (handler: RouteHandler): RouteHandler =>
    (request) => {
      if (request.params['stage'] !== config.stage) throw awsError(403, 'ForbiddenException', 'Forbidden');
      return handler(request);
    };

  const post: RouteHandler = async ({ req, res, params }) => {
    const connectionId = params['connectionId'] ?? '';
    const connection = websocket.get(connectionId);
    const remote = connection ? undefined : otherNodes();
    if (!connection && !remote) throw gone();
    let data: Buffer;
    try {
      data = await readBody(req, config.limits.maxMessageBytes);
    } catch (error) {
      if (error instanceof HttpError && error.status === 413) throw awsError(413, 'PayloadTooLargeException', 'Message too long');
      throw error;
    }
    const delivered = connection
      ? connection.deliver(data.toString('utf8')).status === 'delivered'
      : await (remote as OtherNodeConnections).post(connectionId, data.toString('utf8'));
    if (!delivered) throw gone();
    res.writeHead(200, { 'content-length': '0' });
    res.end();
  };

  const describe: RouteHandler = async ({ res, params }) => {
    const connectionId = params['connectionId'] ?? '';
    const local = websocket.get(connectionId);
    const connection = local
      ? { connectedAt: local.connectedAt, lastActiveAt: local.lastActiveAt, ...local.identity }
      : await otherNodes()?.describe(connectionId);
    if (!connection) throw gone();
    // AWS's wire names; the SDK maps them to ConnectedAt, Identity.SourceIp, LastActiveAt.
    sendJson(res, 200, {
      connectedAt: new Date(connection.connectedAt).toISOString(),
      identity: {
        sourceIp: connection.sourceIp,
        ...(connection.userAgent ? { userAgent: connection.userAgent } : {}),
      },
      lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
    });
  };

  const remove: RouteHandler = async ({ res, params }) => {
    const connectionId = params['connectionId'] ?? '';
    const connection = websocket.get(connectionId);
    if (connection) connection.close(1000, 'Connection deleted');
    else if (!(await otherNodes()?.remove(connectionId))) throw gone();
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
