// The embedded PostgreSQL wherever the data is: as root with a 0700 DATA_DIR (the postgres user cannot reach it), the
// cluster runs from the runtime folder, a second start reuses it, a second process attaches to it, the folders the
// user made keep their modes; where it truly cannot start, `npm start` says why in a paragraph and exits non-zero.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openEmbeddedPostgres, startEmbeddedPostgres } from '../../src/db/embedded.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const isRoot = process.getuid?.() === 0;
// mkdtemp makes 0700 folders, as `mktemp -d` does: the postgres user cannot pass through them
const closed = fs.mkdtempSync(path.join(os.tmpdir(), 'conciergerie-closed-'));
const runtimeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conciergerie-runtime-'));
fs.chmodSync(runtimeDir, 0o755);
after(() => {
  fs.rmSync(closed, { recursive: true, force: true });
  fs.rmSync(runtimeDir, { recursive: true, force: true });
});

async function query(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

test('as root, a cluster for a 0700 DATA_DIR runs from the runtime folder, keeps its data across starts and is shared', {
  skip: !isRoot && 'only root runs PostgreSQL as another user',
}, async () => {
  const dir = path.join(closed, 'data', 'pg');
  const first = await startEmbeddedPostgres({ dir, runtimeDir });
  try {
    assert.ok(first.cluster.startsWith(path.join(runtimeDir, 'clusters')), `cluster under the runtime folder, not ${first.cluster}`);
    const location = JSON.parse(fs.readFileSync(path.join(closed, 'data', 'pg.location.json'), 'utf8'));
    assert.equal(location.cluster, first.cluster);
    // copied only when the checkout is closed to the postgres user (the CI's fresh-start check clones into a 0700 folder)
    assert.ok(location.bin.startsWith(runtimeDir) || location.bin.startsWith(path.join(root, 'node_modules')), location.bin);
    await query(first.adminUrl, 'create table kept (v text); insert into kept values ($$café$$)');
    const enc = await query(
      first.adminUrl,
      'select pg_encoding_to_char(encoding) as e, datlocprovider as p from pg_database where datname = current_database()',
    );
    assert.deepEqual(enc.rows[0], { e: 'UTF8', p: 'b' });
    const second = await openEmbeddedPostgres({ dir, runtimeDir });
    assert.equal(second.owner, false, 'a second process attaches');
    assert.equal(second.port, first.port);
    await second.stop();
  } finally {
    await first.stop();
  }
  assert.equal((fs.statSync(closed).mode & 0o777).toString(8), '700', 'the folder the user made keeps its mode');
  const again = await startEmbeddedPostgres({ dir, runtimeDir });
  try {
    assert.equal(again.cluster, first.cluster, 'the same cluster again');
    assert.deepEqual((await query(again.adminUrl, 'select v from kept')).rows, [{ v: 'café' }]);
  } finally {
    await again.stop();
  }
});

test('where it truly cannot start, npm start says why and what to do, with no stack trace, and exits non-zero', {
  skip: !isRoot && 'the runtime folder only matters to root',
}, async () => {
  // a runtime folder inside a 0700 folder: the postgres user can reach neither the data nor it
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATA_DIR: path.join(closed, 'nowhere'),
      EMBEDDED_PG_RUNTIME_DIR: path.join(closed, 'runtime'),
      PORT: '0',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  child.stderr!.on('data', (c: Buffer) => (out += c));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 1, out);
  assert.match(out, /Conciergerie could not start: .*postgres.*cannot reach .*EMBEDDED_PG_RUNTIME_DIR/s);
  assert.doesNotMatch(out, /^\s+at /m, 'no stack trace');
  assert.doesNotMatch(out, /Unhandled/);
});
