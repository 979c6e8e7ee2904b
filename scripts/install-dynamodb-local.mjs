#!/usr/bin/env node
// Installs Amazon's DynamoDB Local jar into <repo>/.cache/dynamodb-local/ without
// any npm dependencies: the jar ships inside the npm package amplify-dynamodb-simulator,
// so we `npm pack` that one tarball and extract only its emulator folder.
// Idempotent (does nothing when the jar is already there) and safe to run
// concurrently: the folder appears in one atomic rename.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'amplify-dynamodb-simulator@2.9.30'; // ships DynamoDB Local 1.25.1
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const installDir = join(repoRoot, '.cache', 'dynamodb-local');
const jarPath = join(installDir, 'DynamoDBLocal.jar');

export function installDynamoDbLocal() {
  if (existsSync(jarPath)) {
    console.log(`DynamoDB Local already installed at ${installDir}`);
    return installDir;
  }
  mkdirSync(dirname(installDir), { recursive: true });
  // Staging next to the target keeps the final rename on one filesystem.
  const stagingDir = mkdtempSync(join(dirname(installDir), '.dynamodb-local-staging-'));
  try {
    console.log(`Fetching ${PACKAGE} with npm pack ...`);
    const packOutput = execFileSync('npm', ['pack', PACKAGE, '--pack-destination', stagingDir, '--silent'], {
      cwd: stagingDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tarball = packOutput.trim().split('\n').pop();
    if (!tarball) throw new Error(`npm pack ${PACKAGE} printed no tarball name`);
    execFileSync('tar', ['-xzf', join(stagingDir, tarball), '-C', stagingDir, 'package/emulator']);
    const emulatorDir = join(stagingDir, 'package', 'emulator');
    if (!existsSync(join(emulatorDir, 'DynamoDBLocal.jar'))) {
      throw new Error(`${PACKAGE} has no emulator/DynamoDBLocal.jar (found: ${readdirSync(emulatorDir).join(', ')})`);
    }
    moveIntoPlace(emulatorDir);
    console.log(`Installed DynamoDB Local from ${PACKAGE} into ${installDir}`);
    return installDir;
  } finally {
    rmSync(stagingDir, { recursive: true, force: true });
  }
}

function moveIntoPlace(emulatorDir) {
  try {
    renameSync(emulatorDir, installDir);
  } catch (error) {
    if (existsSync(jarPath)) return; // a concurrent run won the race
    // A broken leftover folder without the jar: replace it once.
    rmSync(installDir, { recursive: true, force: true });
    try {
      renameSync(emulatorDir, installDir);
    } catch {
      throw error;
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  installDynamoDbLocal();
}
