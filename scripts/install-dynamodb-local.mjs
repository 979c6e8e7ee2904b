#!/usr/bin/env node
// Installs Amazon's DynamoDB Local jar into <repo>/.cache/dynamodb-local/ without
// any npm dependencies: the jar ships inside the npm package amplify-dynamodb-simulator,
// so we `npm pack` that one tarball and extract only its emulator folder.
// Idempotent: does nothing when the jar is already there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const installDir = join(repoRoot, '.cache', 'dynamodb-local');
const jarPath = join(installDir, 'DynamoDBLocal.jar');

export function installDynamoDbLocal() {
  if (existsSync(jarPath)) {
    console.log(`DynamoDB Local already installed at ${installDir}`);
    return installDir;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'dynamodb-local-'));
  try {
    console.log(`Fetching ${PACKAGE} with npm pack ...`);
    const packOutput = execFileSync(
      'npm',
      ['pack', PACKAGE, '--pack-destination', workDir, '--silent'],
      { cwd: workDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const tarball = packOutput.trim().split('\n').pop();
    if (!tarball) throw new Error(`npm pack ${PACKAGE} printed no tarball name`);
    execFileSync('tar', ['-xzf', join(workDir, tarball), '-C', workDir, 'package/emulator']);
    const emulatorDir = join(workDir, 'package', 'emulator');
    if (!existsSync(join(emulatorDir, 'DynamoDBLocal.jar'))) {
      throw new Error(`${PACKAGE} has no emulator/DynamoDBLocal.jar (found: ${readdirSync(emulatorDir).join(', ')})`);
    }
    mkdirSync(dirname(installDir), { recursive: true });
    rmSync(installDir, { recursive: true, force: true });
    // Same filesystem is not guaranteed (tmpdir vs repo), so fall back to cp.
    try {
      renameSync(emulatorDir, installDir);
    } catch {
      execFileSync('cp', ['-R', emulatorDir, installDir]);
    }
    console.log(`Installed DynamoDB Local from ${PACKAGE} into ${installDir}`);
    return installDir;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  installDynamoDbLocal();
}
