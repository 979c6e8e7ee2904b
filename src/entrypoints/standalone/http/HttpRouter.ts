import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withLogCorrelation } from '../../../adapters/logging/logCorrelation.js';
import type { Logger } from '../../../application/shared/ports/Logger.js';
import { errorMessage, errorName } from '../../../domain/shared/HermesError.js';
import { errorBody } from '../../lambda/shared/replies.js';
import { errorReply } from '../../shared/errorReplies.js';
import { HttpError } from './HttpError.js';
import { sendJson } from './httpIo.js';

export interface RouteRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Path parameters (`:name` segments), URL-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly url: URL;
}

export type RouteHandler = (request: RouteRequest) => Promise<void> | void;

interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  readonly handler: RouteHandler;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

/**
 * A small method + path router: literal segments and `:name` parameters. Errors a route throws
 * become JSON answers (HttpError as given, domain errors as 4xx, anything else as a logged 500).
 */
export class HttpRouter {
  private readonly routes: Route[] = [];

  constructor(private readonly logger: Logger) {}

  /** Registers `handler` for `method` and `pattern` (e.g. `/local/rooms/:roomId/messages`). */
  add(method: string, pattern: string, handler: RouteHandler): this {
    this.routes.push({ method: method.toUpperCase(), segments: splitPath(pattern), handler });
    return this;
  }

  /** Handles the request, answering 404/405 when no route matches. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Every log line of the request carries its id: the caller's X-Request-Id, else a new one (echoed back).
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    return withLogCorrelation({ requestId }, () => this.route(req, res));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hermes.invalid');
    const matched = this.match(req.method ?? 'GET', url.pathname);
    try {
      if (matched === 'not-found') throw new HttpError(404, 'NOT_FOUND', `no route for ${url.pathname}`);
      if (matched === 'method-not-allowed')
        throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`);
      await matched.route.handler({ req, res, params: matched.params, url });
    } catch (error) {
      this.fail(res, error, req);
    }
  }

  private match(method: string, pathname: string): { route: Route; params: Record<string, string> } | 'not-found' | 'method-not-allowed' {
    let segments: string[];
    try {
      segments = splitPath(pathname).map((s) => decodeURIComponent(s));
    } catch {
      return 'not-found';
    }
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method.toUpperCase() || (route.method === 'GET' && method.toUpperCase() === 'HEAD')) {
        return { route, params };
      }
    }
    return pathMatched ? 'method-not-allowed' : 'not-found';
  }

  private fail(res: ServerResponse, error: unknown, req: IncomingMessage): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof HttpError) {
      sendJson(res, error.status, error.body ?? errorBody(error.code, error.message), error.headers);
      return;
    }
    const reply = errorReply(error);
    if (reply.unexpected) {
      this.logger.error('http request failed', {
        method: req.method,
        path: new URL(req.url ?? '/', 'http://hermes.invalid').pathname,
        error: `${errorName(error)}: ${errorMessage(error)}`,
      });
      // Nothing of an unexpected error (a configuration one included) reaches a remote caller.
      sendJson(
        res,
        reply.status,
        errorBody(reply.code === 'CONFIGURATION_INVALID' ? reply.code : 'INTERNAL_ERROR', 'internal server error'),
      );
      return;
    }
    const headers: Record<string, string> = reply.retryAfterSeconds === undefined ? {} : { 'retry-after': String(reply.retryAfterSeconds) };
    sendJson(res, reply.status, errorBody(reply.code, reply.message), headers);
  }
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const expected = pattern[i] as string;
    const value = actual[i] as string;
    if (expected.startsWith(':')) params[expected.slice(1)] = value;
    else if (expected !== value) return undefined;
  }
  return params;
}
