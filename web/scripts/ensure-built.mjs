// Builds the front end (vite build) when web/dist is missing or older than its sources; `npm start` and `npm test` run it first.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(web, '..');
const built = path.join(web, 'dist', 'index.html');
const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json'].map((p) => path.join(web, p));
sources.push(path.join(root, 'package-lock.json'));

function newest(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, entry)));
  return max;
}

const builtAt = newest(built);
const changedAt = Math.max(...sources.map(newest));
if (builtAt && builtAt >= changedAt && !process.argv.includes('--force')) process.exit(0);

console.error(builtAt ? '… front end sources changed: building web/dist' : '… building the front end (web/dist)');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const r = spawnSync(process.execPath, [vite, 'build', '--config', path.join(web, 'vite.config.ts'), '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  console.error('the front end build failed');
  process.exit(r.status ?? 1);
}
