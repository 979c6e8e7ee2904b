import { existsSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { asText, type CfnObject, type CfnValue, EvaluatedTemplate, functionEnvironment, loadTemplate } from './cloudFormation.js';

/** A Lambda function of the template, as the gateway hosts it. */
export interface TemplateFunction {
  readonly logicalId: string;
  /** Absolute path of the module that exports the handler (the esbuild entry point, else `CodeUri` + `Handler`'s file). */
  readonly entryPoint: string;
  /** The export named by `Handler` (`connect.handler` → `handler`). */
  readonly exportName: string;
  /** The function's environment variables as deployed with the template's default parameters. */
  readonly environment: Readonly<Record<string, string>>;
}

/** The REQUEST authorizer of `$connect`. */
export interface TemplateAuthorizer {
  readonly function: TemplateFunction;
  /** `route.request.querystring.token`, `route.request.header.Auth`, ...; a request missing one is refused with 401. */
  readonly identitySources: readonly string[];
}

export interface TemplateRoute {
  readonly routeKey: string;
  readonly function: TemplateFunction;
  /** Whether the template gives the route a RouteResponse: only then does the integration's answer reach the client. */
  readonly routeResponse: boolean;
}

/** What the local gateway reads from a template: one WebSocket API, its routes, authorizer and functions. */
export interface WebSocketApiDefinition {
  readonly templatePath: string;
  readonly apiLogicalId: string;
  /** `$request.body.action` and the like. */
  readonly routeSelectionExpression: string;
  readonly routes: ReadonlyMap<string, TemplateRoute>;
  readonly authorizer?: TemplateAuthorizer;
  /** Every function a route or the authorizer invokes, by logical id. */
  readonly functions: ReadonlyMap<string, TemplateFunction>;
}

const MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

function isObject(value: CfnValue | undefined): value is CfnObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textList(value: CfnValue | undefined): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => asText(item));
}

/** Where a function's handler module is: SAM's esbuild entry point matching the handler's file, else `CodeUri/<file>.{js,mjs,ts,...}`. */
function locateEntryPoint(
  deployment: EvaluatedTemplate,
  templateDir: string,
  logicalId: string,
): Pick<TemplateFunction, 'entryPoint' | 'exportName'> {
  const properties = deployment.properties(logicalId);
  const handler = asText(properties['Handler'], `${logicalId}.Handler`);
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) throw new Error(`${logicalId}: Handler "${handler}" is not <file>.<export>`);
  const file = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const codeUri = properties['CodeUri'] === undefined ? '.' : asText(properties['CodeUri'], `${logicalId}.CodeUri`);
  const codeDir = resolve(templateDir, codeUri);
  const metadata = deployment.resource(logicalId).Metadata;
  const buildProperties = isObject(metadata?.['BuildProperties']) ? metadata['BuildProperties'] : undefined;
  const entryPoints = metadata?.['BuildMethod'] === 'esbuild' ? textList(buildProperties?.['EntryPoints']) : [];
  if (entryPoints.length > 0) {
    // esbuild names each output after its entry point: the Handler's file picks the entry.
    const entry = entryPoints.find((candidate) => basename(candidate, extname(candidate)) === basename(file)) ?? entryPoints[0];
    return { entryPoint: resolve(codeDir, entry as string), exportName };
  }
  const base = resolve(codeDir, file);
  const found = MODULE_EXTENSIONS.map((extension) => base + extension).find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`${logicalId}: no module for Handler "${handler}" in ${codeDir} (tried ${MODULE_EXTENSIONS.join(', ')})`);
  return { entryPoint: found, exportName };
}

/**
 * Reads the WebSocket API of a SAM/CloudFormation template: the first `AWS::ApiGatewayV2::Api` with
 * `ProtocolType: WEBSOCKET`, its routes, their Lambda proxy integrations and route responses, and the
 * REQUEST authorizer of `$connect`. Functions are `AWS::Serverless::Function`s (or `AWS::Lambda::Function`s
 * with a local `Code`-less layout) found through the integration's `IntegrationUri`.
 */
export function readWebSocketApi(templatePath: string, parameters: Readonly<Record<string, string>> = {}): WebSocketApiDefinition {
  const deployment = new EvaluatedTemplate(loadTemplate(templatePath), parameters);
  const templateDir = dirname(templatePath);
  const apiLogicalId = deployment
    .resourcesOfType('AWS::ApiGatewayV2::Api')
    .find((id) => deployment.properties(id)['ProtocolType'] === 'WEBSOCKET');
  if (apiLogicalId === undefined) throw new Error(`${templatePath} has no AWS::ApiGatewayV2::Api with ProtocolType WEBSOCKET`);
  const apiRef = deployment.ref(apiLogicalId);
  const api = deployment.properties(apiLogicalId);
  const ofApi = (type: string): string[] => deployment.resourcesOfType(type).filter((id) => deployment.properties(id)['ApiId'] === apiRef);

  const functionIds = [...deployment.resourcesOfType('AWS::Serverless::Function'), ...deployment.resourcesOfType('AWS::Lambda::Function')];
  const byArn = new Map(functionIds.map((id) => [deployment.getAtt(id, 'Arn'), id]));
  const functions = new Map<string, TemplateFunction>();
  const functionOfUri = (uri: CfnValue | undefined, what: string): TemplateFunction => {
    const text = asText(uri, `${what} URI`);
    const arn = /functions\/(arn:[^/]+)\/invocations$/.exec(text)?.[1] ?? text;
    const logicalId = byArn.get(arn);
    if (logicalId === undefined) throw new Error(`${what}: ${text} is not a Lambda function of the template`);
    let fn = functions.get(logicalId);
    if (!fn) {
      fn = { logicalId, ...locateEntryPoint(deployment, templateDir, logicalId), environment: functionEnvironment(deployment, logicalId) };
      functions.set(logicalId, fn);
    }
    return fn;
  };

  const integrations = new Map<string, TemplateFunction>();
  for (const id of ofApi('AWS::ApiGatewayV2::Integration')) {
    const integration = deployment.properties(id);
    const type = asText(integration['IntegrationType'], `${id}.IntegrationType`);
    if (type !== 'AWS_PROXY') throw new Error(`${id}: IntegrationType ${type} is not hosted locally (only AWS_PROXY Lambda integrations)`);
    integrations.set(`integrations/${deployment.ref(id)}`, functionOfUri(integration['IntegrationUri'], id));
  }

  const authorizers = new Map<string, TemplateAuthorizer>();
  for (const id of ofApi('AWS::ApiGatewayV2::Authorizer')) {
    const authorizer = deployment.properties(id);
    if (authorizer['AuthorizerType'] !== 'REQUEST') throw new Error(`${id}: only REQUEST authorizers are hosted locally`);
    authorizers.set(deployment.ref(id), {
      function: functionOfUri(authorizer['AuthorizerUri'], id),
      identitySources: textList(authorizer['IdentitySource']),
    });
  }

  const withResponse = new Set(ofApi('AWS::ApiGatewayV2::RouteResponse').map((id) => deployment.properties(id)['RouteId']));
  const routes = new Map<string, TemplateRoute>();
  let connectAuthorizer: TemplateAuthorizer | undefined;
  for (const id of ofApi('AWS::ApiGatewayV2::Route')) {
    const route = deployment.properties(id);
    const routeKey = asText(route['RouteKey'], `${id}.RouteKey`);
    const target = asText(route['Target'], `${id}.Target`);
    const fn = integrations.get(target);
    if (!fn) throw new Error(`${id}: Target ${target} is not an integration of ${apiLogicalId}`);
    routes.set(routeKey, { routeKey, function: fn, routeResponse: withResponse.has(deployment.ref(id)) });
    if (routeKey === '$connect' && route['AuthorizationType'] === 'CUSTOM') {
      connectAuthorizer = authorizers.get(asText(route['AuthorizerId'], `${id}.AuthorizerId`));
      if (!connectAuthorizer) throw new Error(`${id}: AuthorizerId is not an authorizer of ${apiLogicalId}`);
    }
  }

  return {
    templatePath,
    apiLogicalId,
    routeSelectionExpression: asText(api['RouteSelectionExpression'] ?? '$request.body.action', 'RouteSelectionExpression'),
    routes,
    ...(connectAuthorizer ? { authorizer: connectAuthorizer } : {}),
    functions,
  };
}
