import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(ROOT, 'src');

/** Packages the core must never see: infrastructure SDKs, transports and crypto libraries. */
const FORBIDDEN_PACKAGES = [/^@aws-sdk\//, /^aws-sdk$/, /^@aws-lambda-powertools\//, /^kafkajs$/, /^ws$/, /^jsonwebtoken$/, /^bcryptjs$/];
const FORBIDDEN_LAYERS = ['adapters', 'entrypoints'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

interface ImportStatement {
  readonly specifier: string;
  readonly names: string;
}

function importsOf(code: string): ImportStatement[] {
  const found: ImportStatement[] = [];
  const pattern = /(?:import|export)\s+(type\s+)?([\s\S]*?)\s*from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const match of code.matchAll(pattern)) {
    found.push({ specifier: match[3] ?? match[4] ?? match[5] ?? '', names: match[2] ?? '' });
  }
  return found;
}

/** Why an import breaks the rule, or undefined when it is allowed. */
export function violation(file: string, statement: ImportStatement): string | undefined {
  const { specifier, names } = statement;
  if (FORBIDDEN_PACKAGES.some((p) => p.test(specifier))) return `imports ${specifier}`;
  if (specifier === 'inversify' && /\b(Container|ContainerModule)\b/.test(names)) return `imports inversify's container`;
  if (specifier.startsWith('.')) {
    const target = relative(SRC, resolve(dirname(file), specifier));
    const layer = target.split(sep)[0] ?? '';
    if (FORBIDDEN_LAYERS.includes(layer)) return `imports the ${layer} layer (${specifier})`;
  }
  return undefined;
}

describe('layer rules', () => {
  for (const layer of ['domain', 'application']) {
    it(`src/${layer} imports no adapter, entrypoint, container, SDK, kafkajs, ws, jsonwebtoken or bcryptjs`, () => {
      const problems = sourceFiles(join(SRC, layer)).flatMap((file) =>
        importsOf(readFileSync(file, 'utf8'))
          .map((statement) => violation(file, statement))
          .filter((v): v is string => v !== undefined)
          .map((v) => `${relative(ROOT, file)} ${v}`),
      );
      expect(problems).to.deep.equal([]);
    });
  }

  it('src/domain imports nothing from src/application', () => {
    const offenders = sourceFiles(join(SRC, 'domain')).filter((file) =>
      importsOf(readFileSync(file, 'utf8')).some(
        ({ specifier }) => specifier.startsWith('.') && relative(SRC, resolve(dirname(file), specifier)).startsWith('application'),
      ),
    );
    expect(offenders.map((f) => relative(ROOT, f))).to.deep.equal([]);
  });

  it('recognises each kind of forbidden import (the rule can fail)', () => {
    const file = join(SRC, 'application', 'x', 'Example.ts');
    const cases: Array<[string, string]> = [
      ["import { DynamoDBClient } from '@aws-sdk/client-dynamodb';", 'imports @aws-sdk/client-dynamodb'],
      ["import { Kafka } from 'kafkajs';", 'imports kafkajs'],
      ["import WebSocket from 'ws';", 'imports ws'],
      ["import jwt from 'jsonwebtoken';", 'imports jsonwebtoken'],
      ["import { hash } from 'bcryptjs';", 'imports bcryptjs'],
      ["import { Container } from 'inversify';", "imports inversify's container"],
      ["import { X } from '../../adapters/memory/X.js';", 'imports the adapters layer (../../adapters/memory/X.js)'],
      ["const m = await import('../../entrypoints/container.js');", 'imports the entrypoints layer (../../entrypoints/container.js)'],
    ];
    for (const [code, expected] of cases) {
      const [statement] = importsOf(code);
      expect(statement, code).to.not.equal(undefined);
      expect(violation(file, statement as ImportStatement), code).to.equal(expected);
    }
    const [allowed] = importsOf("import { inject, injectable } from 'inversify';");
    expect(violation(file, allowed as ImportStatement)).to.equal(undefined);
  });
});
