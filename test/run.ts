// `npm test`: one embedded PostgreSQL for the whole run, a migrated template database, then node's test runner over every test file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';

const TEMPLATE = 'conciergerie_template';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const dirs = ['test/unit', 'test/integration', 'test/e2e'];
let files = dirs.flatMap((d) =>
  fs.existsSync(path.join(root, d))
    ? fs
        .readdirSync(path.join(root, d))
        .filter((f) => f.endsWith('.test.ts'))
        .sort()
        .map((f) => path.join(d, f))
    : [],
);
if (args.length) files = files.filter((f) => args.some((a) => f.includes(a)));

let adminUrl = process.env.DATABASE_URL;
let stopDb: (() => Promise<void>) | undefined;
let tmp: string | undefined;
if (!adminUrl) {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conciergerie-test-'));
  fs.chmodSync(tmp, 0o755);
  const db = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg') });
  adminUrl = db.adminUrl;
  stopDb = db.stop;
}
// a template database, migrated once; each test file clones it (CREATE DATABASE ... TEMPLATE)
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`drop database if exists ${TEMPLATE}`);
await admin.query(`create database ${TEMPLATE}`);
await admin.end();
const templateUrl = new URL(adminUrl);
templateUrl.pathname = `/${TEMPLATE}`;
await migrate(templateUrl.toString());

// a file's time limit: the longest, the benchmarks at tiny sizes, runs every figure (about 3 minutes on 2 quiet cores)
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=600000', `--test-concurrency=${os.cpus().length}`, ...files],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CONCIERGERIE_TEST_ADMIN_URL: adminUrl, CONCIERGERIE_TEST_TEMPLATE: TEMPLATE, NODE_ENV: 'test' },
  },
);
const code: number = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
await stopDb?.();
if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
process.exit(code);
