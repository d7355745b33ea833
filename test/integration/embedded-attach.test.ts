// The embedded PostgreSQL of a DATA_DIR: a second process attaches instead of starting another, adopts a cluster whose owner was SIGKILLed, and lets other machines in only when EMBEDDED_PG_LISTEN says so.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openEmbeddedPostgres, startEmbeddedPostgres } from '../../src/db/embedded.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conciergerie-attach-'));
fs.chmodSync(tmp, 0o755);
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return (await client.query('select 1 as ok')).rows[0].ok === 1;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

test('a second process attaches to the running cluster and leaves it running; the owner stops it', async () => {
  const dir = path.join(tmp, 'a', 'pg');
  const owner = await openEmbeddedPostgres({ dir });
  try {
    assert.equal(owner.owner, true);
    const second = await openEmbeddedPostgres({ dir });
    assert.equal(second.owner, false);
    assert.equal(second.ownerPid, process.pid);
    assert.equal(second.port, owner.port);
    assert.equal(second.urlFor('postgres'), owner.adminUrl);
    await second.stop();
    assert.ok(await answers(owner.adminUrl), 'an attached process leaving does not stop it');
    // startEmbeddedPostgres itself still refuses a second cluster on the same data
    await assert.rejects(startEmbeddedPostgres({ dir }), /already runs/);
  } finally {
    await owner.stop();
  }
  assert.equal(owner.running(), false);
  assert.equal(await answers(owner.adminUrl), false);
  // the next start takes the same port again, so processes attached before find it there
  const again = await openEmbeddedPostgres({ dir });
  assert.equal(again.port, owner.port);
  await again.stop();
});

test('a cluster whose owner was SIGKILLed is adopted by the next process, which stops it on exit', async () => {
  const dir = path.join(tmp, 'b', 'pg');
  // the owner: another process that starts the cluster and is then killed without a chance to stop it
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `
    import { openEmbeddedPostgres } from './src/db/embedded.ts';
    const db = await openEmbeddedPostgres({ dir: ${JSON.stringify(dir)} });
    console.log('port=' + db.port);
    setInterval(() => {}, 1000);`,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  const until = Date.now() + 60_000;
  while (!/port=\d+/.test(out) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  assert.match(out, /port=\d+/);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));

  const adopter = await openEmbeddedPostgres({ dir });
  assert.equal(adopter.owner, true, 'the orphaned cluster has a new owner');
  assert.equal(adopter.ownerPid, process.pid);
  assert.equal(String(adopter.port), /port=(\d+)/.exec(out)![1]);
  assert.ok(await answers(adopter.adminUrl));
  await adopter.stop();
  assert.equal(adopter.running(), false, 'stopped by its adopter');
});

test('EMBEDDED_PG_LISTEN: loopback only by default; another address lets other hosts in, with the password', async () => {
  const dir = path.join(tmp, 'c', 'pg');
  // 127.0.0.2 stands for another machine: it is neither the address listened on by default nor in initdb's pg_hba.conf
  const fromElsewhere = (db: { port: number; urlFor(d: string): string }) => db.urlFor('postgres').replace('@127.0.0.1:', '@127.0.0.2:');
  const local = await startEmbeddedPostgres({ dir });
  assert.equal(await answers(fromElsewhere(local)), false);
  await local.stop();
  const open = await startEmbeddedPostgres({ dir, listen: '0.0.0.0' });
  try {
    assert.ok(await answers(open.adminUrl), 'still reachable on loopback');
    assert.ok(await answers(fromElsewhere(open)), 'reachable from another address');
    const wrong = new URL(fromElsewhere(open));
    wrong.password = 'not-the-password';
    assert.equal(await answers(wrong.toString()), false, 'never without the password');
  } finally {
    await open.stop();
  }
  // back to loopback: the door closes again
  const closed = await startEmbeddedPostgres({ dir });
  assert.equal(await answers(fromElsewhere(closed)), false);
  await closed.stop();
});
