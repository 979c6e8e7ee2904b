import type { UpgradeRequestData } from './eventFactory.js';

/**
 * Whether an upgrade request carries every identity source of the authorizer
 * (`route.request.querystring.<name>`, `route.request.header.<name>`). API Gateway answers a request
 * missing one with 401 without invoking the authorizer; other sources (stage variables, context)
 * are not checked here.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
 */
export function hasIdentitySources(sources: readonly string[], request: UpgradeRequestData): boolean {
  return sources.every((source) => {
    const query = /^route\.request\.querystring\.(.+)$/.exec(source);
    if (query) return Boolean(request.query?.[query[1] as string]);
    const header = /^route\.request\.header\.(.+)$/.exec(source);
    if (header) {
      const wanted = (header[1] as string).toLowerCase();
      return Object.entries(request.headers).some(([name, value]) => name.toLowerCase() === wanted && value !== '');
    }
    return true;
  });
}
