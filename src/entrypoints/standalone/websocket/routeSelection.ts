/**
 * A WebSocket API's route selection expression, `$request.body.<path>` (API Gateway's only form for
 * Lambda proxy APIs): the route key is the JSON body's value at that path, when it is a string.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html
 */
export type RouteSelector = (body: string) => string | undefined;

const BODY_PATH = /^\$request\.body\.([A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+)*)$/;

export function routeSelector(expression: string): RouteSelector {
  const match = BODY_PATH.exec(expression.trim());
  if (!match) throw new Error(`route selection expression "${expression}" is not $request.body.<path>`);
  const path = (match[1] as string).split('.');
  return (body) => {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
    for (const key of path) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return typeof value === 'string' ? value : undefined;
  };
}
