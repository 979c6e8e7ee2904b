/**
 * Reads a SAM/CloudFormation template (short tags included) and evaluates it the way CloudFormation
 * would for given parameters: conditions, `Ref`, `Fn::Sub`, `Fn::GetAtt`, `Fn::If` and friends, with
 * made-up but well-formed ids and ARNs for the resources. The local gateway reads its WebSocket API
 * from it; the template tests, the benchmark and the LocalStack scripts' test use it to see each
 * function as deployed (its environment, its IAM policy).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type CollectionTag, type ScalarTag } from 'yaml';

/** The hermes package's root directory (this file is `<root>/{src,dist}/entrypoints/standalone/template/`). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** hermes' own `template.yaml`, at the package root. */
export const TEMPLATE_PATH = join(PACKAGE_ROOT, 'template.yaml');

export type CfnValue = string | number | boolean | null | CfnValue[] | { [key: string]: CfnValue };
export type CfnObject = { [key: string]: CfnValue };

export interface CfnResource {
  readonly Type: string;
  readonly Condition?: string;
  readonly DependsOn?: string | string[];
  readonly Properties?: CfnObject;
  readonly Metadata?: CfnObject;
}

export interface CfnTemplate {
  readonly Parameters?: Record<string, CfnObject>;
  readonly Conditions?: Record<string, CfnValue>;
  readonly Globals?: { readonly Function?: CfnObject };
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, CfnObject>;
  readonly Rules?: CfnObject;
}

const FUNCTIONS: Record<string, string> = {
  Ref: 'Ref',
  Sub: 'Fn::Sub',
  GetAtt: 'Fn::GetAtt',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  Not: 'Fn::Not',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Condition: 'Condition',
  Join: 'Fn::Join',
  Split: 'Fn::Split',
  Select: 'Fn::Select',
  FindInMap: 'Fn::FindInMap',
  ImportValue: 'Fn::ImportValue',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  GetAZs: 'Fn::GetAZs',
  Transform: 'Fn::Transform',
};

function toJs(value: unknown): unknown {
  return value !== null && typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function'
    ? (value.toJSON as () => unknown)()
    : value;
}

/** `yaml` tags for CloudFormation's short forms (`!Ref X` → `{Ref: X}`, `!GetAtt A.B` → `{'Fn::GetAtt': [A, B]}`). */
export const CFN_TAGS: Array<ScalarTag | CollectionTag> = Object.entries(FUNCTIONS).flatMap(([short, long]) => {
  const scalar: ScalarTag = {
    tag: `!${short}`,
    resolve: (text: string) => {
      if (short === 'GetAtt') {
        const dot = text.indexOf('.');
        return { [long]: [text.slice(0, dot), text.slice(dot + 1)] };
      }
      return { [long]: text };
    },
  };
  const collections: CollectionTag[] = (['seq', 'map'] as const).map((collection) => ({
    tag: `!${short}`,
    collection,
    resolve: (node) => ({ [long]: toJs(node) }),
  }));
  return [scalar, ...collections];
});

export function loadTemplate(path = TEMPLATE_PATH): CfnTemplate {
  return parse(readFileSync(path, 'utf8'), { customTags: CFN_TAGS, intAsBigInt: false }) as CfnTemplate;
}

/** The pseudo parameters and account of the evaluated deployment. */
export const FAKE_ACCOUNT = { region: 'eu-west-1', accountId: '123456789012', partition: 'aws', urlSuffix: 'amazonaws.com' } as const;

const NO_VALUE = Symbol('AWS::NoValue');

function isObject(value: unknown): value is CfnObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A scalar CloudFormation value as text; a list, map or null where text is expected is a template error. */
export function asText(value: CfnValue | undefined, what = 'value'): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${what} must be a string, number or boolean, got ${JSON.stringify(value) ?? 'undefined'}`);
}

/** One deployment of the template: parameters resolved, conditions decided, resources given ids. */
export class EvaluatedTemplate {
  readonly parameters: Readonly<Record<string, string>>;
  private readonly conditionCache = new Map<string, boolean>();

  constructor(
    readonly template: CfnTemplate,
    overrides: Readonly<Record<string, string>> = {},
  ) {
    const parameters: Record<string, string> = {};
    for (const [name, spec] of Object.entries(template.Parameters ?? {})) {
      const value = overrides[name] ?? spec['Default'];
      if (value === undefined || value === null) throw new Error(`parameter ${name} has no value and no default`);
      parameters[name] = asText(value, `parameter ${name}`);
    }
    for (const name of Object.keys(overrides)) {
      if (!(name in parameters)) throw new Error(`unknown parameter ${name}`);
    }
    this.parameters = parameters;
  }

  /** Whether a condition holds for these parameters. */
  condition(name: string): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new Error(`unknown condition ${name}`);
    const value = this.evaluate(definition);
    if (typeof value !== 'boolean') throw new Error(`condition ${name} is not a boolean`);
    this.conditionCache.set(name, value);
    return value;
  }

  /** Whether a resource (or output) is created with these parameters. */
  exists(logicalId: string): boolean {
    const resource = this.template.Resources[logicalId];
    if (!resource) return false;
    return resource.Condition === undefined || this.condition(resource.Condition);
  }

  resource(logicalId: string): CfnResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`no resource ${logicalId}`);
    return resource;
  }

  /** The resource's properties, evaluated (SAM functions get their `Globals` merged in). */
  properties(logicalId: string): CfnObject {
    const resource = this.resource(logicalId);
    let properties: CfnObject = resource.Properties ?? {};
    if (resource.Type === 'AWS::Serverless::Function') properties = mergeGlobals(this.template.Globals?.Function ?? {}, properties);
    const value = this.evaluate(properties);
    return isObject(value) ? value : {};
  }

  /** Logical ids of the created resources of a type. */
  resourcesOfType(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([id, resource]) => resource.Type === type && this.exists(id))
      .map(([id]) => id);
  }

  /** What `Ref` returns for a created resource. */
  ref(logicalId: string): string {
    const resource = this.resource(logicalId);
    if (!this.exists(logicalId)) throw new Error(`Ref to ${logicalId}, which these parameters do not create`);
    const name = (key: string): string => asText(this.evaluate(resource.Properties?.[key] ?? logicalId), `${logicalId}.${key}`);
    const { region, accountId } = FAKE_ACCOUNT;
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
        return name('TableName');
      case 'AWS::SQS::Queue':
        return `https://sqs.${region}.amazonaws.com/${accountId}/${name('QueueName')}`;
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name('Name')}-AbCdEf`;
      case 'AWS::Serverless::Function':
      case 'AWS::Lambda::Function':
      case 'AWS::Logs::LogGroup':
        return name(resource.Type === 'AWS::Logs::LogGroup' ? 'LogGroupName' : 'FunctionName');
      case 'AWS::ApiGatewayV2::Api':
        return 'a1b2c3d4e5';
      case 'AWS::IAM::Role':
        return `${logicalId}-X1Y2Z3`;
      default:
        return `${logicalId.toLowerCase()}-id`;
    }
  }

  /** What `Fn::GetAtt` returns. */
  getAtt(logicalId: string, attribute: string): string {
    const resource = this.resource(logicalId);
    const { region, accountId } = FAKE_ACCOUNT;
    const id = this.ref(logicalId);
    if (attribute === 'Arn') {
      switch (resource.Type) {
        case 'AWS::DynamoDB::Table':
          return `arn:aws:dynamodb:${region}:${accountId}:table/${id}`;
        case 'AWS::SQS::Queue':
          return `arn:aws:sqs:${region}:${accountId}:${asText(this.evaluate(resource.Properties?.['QueueName'] ?? logicalId), `${logicalId}.QueueName`)}`;
        case 'AWS::Logs::LogGroup':
          return `arn:aws:logs:${region}:${accountId}:log-group:${id}:*`;
        case 'AWS::Serverless::Function':
        case 'AWS::Lambda::Function':
          return `arn:aws:lambda:${region}:${accountId}:function:${id}`;
        case 'AWS::IAM::Role':
          return `arn:aws:iam::${accountId}:role/${id}`;
        default:
          break;
      }
    }
    if (attribute === 'QueueName' && resource.Type === 'AWS::SQS::Queue') return id.split('/').pop() ?? id;
    throw new Error(`Fn::GetAtt ${logicalId}.${attribute} is not modelled`);
  }

  private pseudo(name: string): string | typeof NO_VALUE | undefined {
    switch (name) {
      case 'AWS::Region':
        return FAKE_ACCOUNT.region;
      case 'AWS::AccountId':
        return FAKE_ACCOUNT.accountId;
      case 'AWS::Partition':
        return FAKE_ACCOUNT.partition;
      case 'AWS::URLSuffix':
        return FAKE_ACCOUNT.urlSuffix;
      case 'AWS::StackName':
        return 'hermes';
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        return undefined;
    }
  }

  private refValue(name: string): CfnValue | typeof NO_VALUE {
    const pseudo = this.pseudo(name);
    if (pseudo !== undefined) return pseudo;
    if (name in this.parameters) {
      const type = this.template.Parameters?.[name]?.['Type'];
      const value = this.parameters[name] ?? '';
      return type === 'CommaDelimitedList' ? value.split(',') : value;
    }
    return this.ref(name);
  }

  private substitute(text: string, variables: Record<string, CfnValue>): string {
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_, expression: string) => {
      if (expression in variables) return asText(variables[expression], `\${${expression}}`);
      const dot = expression.indexOf('.');
      if (dot > 0 && !expression.startsWith('AWS::')) return this.getAtt(expression.slice(0, dot), expression.slice(dot + 1));
      const value = this.refValue(expression);
      if (value === NO_VALUE || typeof value === 'object') throw new Error(`\${${expression}} is not a string`);
      return String(value);
    });
  }

  /** Evaluates intrinsic functions; `AWS::NoValue` removes the key or list item holding it. */
  evaluate(value: CfnValue): CfnValue {
    const result = this.evaluateInner(value);
    if (result === NO_VALUE) throw new Error('AWS::NoValue at the top level');
    return result;
  }

  private evaluateInner(value: CfnValue): CfnValue | typeof NO_VALUE {
    if (Array.isArray(value)) {
      return value.map((item) => this.evaluateInner(item)).filter((item): item is CfnValue => item !== NO_VALUE);
    }
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const argument = value[key] as CfnValue;
      const args = Array.isArray(argument) ? argument : [argument];
      switch (key) {
        case 'Ref':
          return this.refValue(asText(argument, 'Ref'));
        case 'Condition':
          return this.condition(asText(argument, 'Condition'));
        case 'Fn::GetAtt': {
          const [id, attribute] = typeof argument === 'string' ? argument.split('.') : (argument as string[]);
          return this.getAtt(String(id), String(attribute));
        }
        case 'Fn::Sub': {
          if (typeof argument === 'string') return this.substitute(argument, {});
          const [text, variables] = args as [string, CfnObject];
          const evaluated = this.evaluate(variables);
          return this.substitute(text, isObject(evaluated) ? evaluated : {});
        }
        case 'Fn::If': {
          const [condition, whenTrue, whenFalse] = args as [string, CfnValue, CfnValue];
          return this.evaluateInner(this.condition(condition) ? whenTrue : whenFalse);
        }
        case 'Fn::Equals': {
          const [a, b] = args.map((item) => this.evaluate(item));
          return JSON.stringify(a) === JSON.stringify(b);
        }
        case 'Fn::Not':
          return !this.evaluate(args[0] ?? false);
        case 'Fn::And':
          return args.every((item) => this.evaluate(item) === true);
        case 'Fn::Or':
          return args.some((item) => this.evaluate(item) === true);
        case 'Fn::Join': {
          const [separator, items] = args as [string, CfnValue];
          const list = this.evaluate(items);
          return (Array.isArray(list) ? list : [list]).map((item) => asText(item, 'Fn::Join item')).join(separator);
        }
        case 'Fn::Split': {
          const [separator, text] = args as [string, CfnValue];
          return asText(this.evaluate(text), 'Fn::Split text').split(separator);
        }
        case 'Fn::Select': {
          const [index, list] = args as [CfnValue, CfnValue];
          const items = this.evaluate(list);
          return Array.isArray(items) ? (items[Number(this.evaluate(index))] ?? null) : null;
        }
        default:
          break;
      }
    }
    const out: CfnObject = {};
    for (const [key, item] of Object.entries(value)) {
      const evaluated = this.evaluateInner(item);
      if (evaluated !== NO_VALUE) out[key] = evaluated;
    }
    return out;
  }
}

/** SAM's merge of `Globals.Function` into a function: maps merge (function wins), everything else is replaced. */
function mergeGlobals(globals: CfnObject, properties: CfnObject): CfnObject {
  const merged: CfnObject = { ...globals };
  for (const [key, value] of Object.entries(properties)) {
    const global = merged[key];
    merged[key] = isObject(global) && isObject(value) ? mergeGlobals(global, value) : value;
  }
  return merged;
}

/** A function's environment variables as deployed with these parameters. */
export function functionEnvironment(deployment: EvaluatedTemplate, logicalId: string): Record<string, string> {
  const environment = deployment.properties(logicalId)['Environment'];
  const variables = isObject(environment) ? environment['Variables'] : undefined;
  if (!isObject(variables)) return {};
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [key, asText(value, `${logicalId} environment variable ${key}`)]),
  );
}

export interface PolicyStatement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
}

/** The statements of every inline policy of a role. */
export function roleStatements(deployment: EvaluatedTemplate, roleLogicalId: string): PolicyStatement[] {
  const policies = deployment.properties(roleLogicalId)['Policies'];
  if (!Array.isArray(policies)) return [];
  return policies.flatMap((policy) => {
    const document = isObject(policy) ? policy['PolicyDocument'] : undefined;
    const statements = isObject(document) ? document['Statement'] : undefined;
    return Array.isArray(statements) ? (statements as unknown as PolicyStatement[]) : [];
  });
}
