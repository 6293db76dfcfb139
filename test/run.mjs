#!/usr/bin/env node
// `npm test`: every check the project has, in order, continuing past failures so one run shows them all.
// Type checks, lint and builds count as one test each; jest counts its own tests. Ends with `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const results = [];
const started = Date.now();

/** Runs a command; with `quiet`, its output (a build's progress bars) is shown only when it fails. */
function run(name, command, args, env = {}, quiet = false) {
  const t0 = Date.now();
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const child = spawnSync(command, args, {
    cwd: root,
    stdio: quiet ? 'pipe' : 'inherit',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const ok = child.status === 0;
  if (quiet && !ok) console.log(`${child.stdout}${child.stderr}`.split('\n').slice(-60).join('\n'));
  console.log(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return ok;
}

function step(name, command, args, env, quiet) {
  const ok = run(name, command, args, env, quiet);
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
  return ok;
}

/** Bytes under `dir`, leaving out the paths (relative to `root`, at any depth) that `skip` names. */
function dirSize(dir, skip = () => false, root = dir) {
  return readdirSync(dir).reduce((sum, name) => {
    const path = join(dir, name);
    if (skip(relative(root, path))) return sum;
    return sum + (statSync(path).isDirectory() ? dirSize(path, skip, root) : statSync(path).size);
  }, 0);
}

/** Debian's chromium for the end-to-end tests; never a downloaded browser. */
function ensureChromium() {
  if (existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) return true;
  const asRoot = process.getuid?.() === 0;
  const apt = (...args) =>
    spawnSync(asRoot ? 'apt-get' : 'sudo', asRoot ? args : ['-n', 'apt-get', ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  console.log('\n▶ installing Debian chromium for the end-to-end tests');
  return apt('update') && apt('install', '-y', '--no-install-recommends', 'chromium');
}

const npx = (bin, ...args) => ['npx', ['--no-install', bin, ...args]];

step('typecheck server, shared and tests', ...npx('tsc', '-p', 'tsconfig.json'));
step('typecheck shared without platform libraries', ...npx('tsc', '-p', 'shared/tsconfig.json'));
step('typecheck mini-program', ...npx('tsc', '-p', 'miniprogram/tsconfig.json'));
step('typecheck mini-program tests', ...npx('tsc', '-p', 'test/miniprogram/tsconfig.json'));
step('eslint', ...npx('eslint', '.'));
step('prettier', ...npx('prettier', '--check', '.'));

const weappBuilt = step('build weapp', ...npx('taro', 'build', '--type', 'weapp'), { NODE_ENV: 'production' }, true);
if (weappBuilt) {
  const app = JSON.parse(readFileSync(join(root, 'dist/weapp/app.json'), 'utf8'));
  const subRoots = (app.subPackages ?? []).map((p) => p.root.replace(/\/$/, ''));
  const main = dirSize(join(root, 'dist/weapp'), (rel) => subRoots.includes(rel) || rel.endsWith('.LICENSE.txt'));
  console.log(`weapp main package: ${(main / 1024).toFixed(1)} KiB (limit 2048 KiB)`);
  for (const sub of subRoots)
    console.log(`weapp subpackage ${sub}: ${(dirSize(join(root, 'dist/weapp', sub)) / 1024).toFixed(1)} KiB`);
}
if (step('build h5', ...npx('taro', 'build', '--type', 'h5'), { NODE_ENV: 'production' }, true)) {
  console.log(
    `h5 build: ${(dirSize(join(root, 'dist/h5'), (rel) => rel.endsWith('.LICENSE.txt')) / 1024).toFixed(1)} KiB`,
  );
}
const chromium = ensureChromium();
results.push({ name: 'chromium available', passed: chromium ? 1 : 0, failed: chromium ? 0 : 1 });

const report = join(mkdtempSync(join(tmpdir(), 'linli-jest-')), 'report.json');
// --forceExit: a suite that fails before closing its app must not hold CI open until its time limit.
run('jest', ...npx('jest', '--ci', '--forceExit', '--json', `--outputFile=${report}`));
if (existsSync(report)) {
  const jest = JSON.parse(readFileSync(report, 'utf8'));
  // A suite that fails to load has no test results; count it as one failure so it cannot hide.
  const brokenSuites = jest.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
  results.push({ name: 'jest', passed: jest.numPassedTests, failed: jest.numFailedTests + brokenSuites });
} else {
  results.push({ name: 'jest', passed: 0, failed: 1 });
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log('\nSummary:');
for (const r of results) console.log(`  ${r.failed ? '✘' : '✔'} ${r.name}: ${r.passed} passed, ${r.failed} failed`);
console.log(`Total time ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
