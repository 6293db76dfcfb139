import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { compressBuild } from './compress-h5';

/**
 * `npm start` runs this first: builds the mini-program's H5 output when it is missing or older than
 * its sources, so a fresh clone serves the app at `/` and a warm start skips the ~30 s build; then writes
 * the compressed copies the server sends (a build made by `taro build` alone has none).
 */
const root = resolve(__dirname, '../..');
const output = join(root, 'dist/h5/index.html');
const sources = ['miniprogram', 'shared', 'config', 'package-lock.json'].map((p) => join(root, p));

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

const builtAt = existsSync(output) ? statSync(output).mtimeMs : 0;
const changedAt = Math.max(...sources.filter(existsSync).map(newestMtime));
if (builtAt >= changedAt) {
  console.log('H5 build is up to date');
} else {
  console.log('Building the mini-program for H5 (dist/h5)…');
  const result = spawnSync('npx', ['--no-install', 'taro', 'build', '--type', 'h5'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
console.log(`H5 build: ${compressBuild(dirname(output))} compressed copies written`);
