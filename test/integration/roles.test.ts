// `npm start -- --role=api` and two `--role=worker` processes on one DATA_DIR: the workers attach to the API's embedded PostgreSQL and sandbox world, share the orders, and outlive a restart of the API.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { HOLDER } from '../support/holder.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conciergerie-roles-'));
fs.chmodSync(dataDir, 0o755);
const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

interface Proc {
  name: string;
  child: ChildProcess;
  out: string;
}
const procs: Proc[] = [];

function start(name: string, role: 'api' | 'worker'): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', `--role=${role}`], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      DATABASE_URL: '', // the point: no DATABASE_URL, the embedded PostgreSQL of DATA_DIR
      PORT: '0',
      ADMIN_TOKEN,
      LOG_LEVEL: 'info',
      WORKER_CONCURRENCY: '4',
      // a little latency, so that orders overlap and both workers get some of them
      SANDBOX_LATENCY_MS: '20-60',
      HEARTBEAT_SECONDS: '1',
      WORKER_STALE_SECONDS: '3',
      SWEEP_SECONDS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p: Proc = { name, child, out: '' };
  child.stdout!.on('data', (c: Buffer) => (p.out += c));
  child.stderr!.on('data', (c: Buffer) => (p.out += c));
  procs.push(p);
  return p;
}

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms\n${procs.map((p) => `--- ${p.name}\n${p.out.slice(-1500)}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(p: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill(signal);
  await exited;
}

after(async () => {
  for (const p of [...procs].reverse()) await stop(p).catch(() => {});
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const started = (p: Proc) => p.out.includes('Conciergerie is running');
const appUrl = (p: Proc) => /App\s+(http:\/\/localhost:\d+)\//.exec(p.out)?.[1];
/** the orders this worker process moved a step forward, from its own log */
const stepsDoneBy = (p: Proc) =>
  p.out
    .split('\n')
    .filter((l) => l.includes('"event":"step_done"'))
    .map((l) => JSON.parse(l).orderId as string);

async function order(base: string, n: number): Promise<string> {
  const r = await fetch(`${base}/api/request-concierge-service`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `roles-order-${n}-0001` },
    body: JSON.stringify({
      holder: HOLDER,
      acceptTerms: true,
      earlyStart: true,
      businessName: `Atelier ${n}`,
      email: `roles-${n}@example.org`,
      domain: `atelier-roles-${n}.fr`,
      tier: 'standard',
      locale: 'fr',
    }),
  });
  const body = (await r.json()) as { trackingToken: string; paymentUrl: string };
  assert.equal(r.status, 201, JSON.stringify(body));
  // the sandbox's checkout page, paid without a browser
  const page = new URL(body.paymentUrl);
  const session = /\/c\/pay\/([^/?#]+)/.exec(page.pathname)![1];
  const paid = await fetch(`${page.origin}/__sandbox/checkout/${session}/pay`, { method: 'POST' });
  assert.equal(paid.status, 200, await paid.text());
  return body.trackingToken;
}

async function delivered(base: string, token: string): Promise<void> {
  await until(
    `order ${token.slice(0, 6)} delivered`,
    async () => {
      const r = await fetch(`${base}/api/concierge/status/${token}`).catch(() => undefined);
      if (r?.status !== 200) return false;
      const s = (await r.json()) as { state: string };
      assert.notEqual(s.state, 'refunded');
      return s.state === 'delivered';
    },
    90_000,
  );
}

test('an API process and two worker processes on one DATA_DIR share one PostgreSQL and deliver the orders together', { timeout: 240_000 }, async () => {
  const api = start('api', 'api');
  await until('the API started', () => started(api));
  const base = appUrl(api)!.replace('localhost', '127.0.0.1');
  assert.match(api.out, /embedded PostgreSQL on 127\.0\.0\.1:(\d+).*\(run by this process, stopped with it\)/);
  const port = Number(/embedded PostgreSQL on 127\.0\.0\.1:(\d+)/.exec(api.out)![1]);
  // how to reach it from elsewhere, without the password
  const creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'pg.credentials.json'), 'utf8')) as { password: string };
  assert.match(
    api.out,
    new RegExp(`DATABASE_URL=postgres://conciergerie:<password>@[^:]+:${port}/conciergerie \\(password in ${dataDir}/pg\\.credentials\\.json\\)`),
  );
  assert.equal(fs.statSync(path.join(dataDir, 'pg.running.json')).mode & 0o777, 0o600);

  const workers = [start('worker-1', 'worker'), start('worker-2', 'worker')];
  for (const w of workers) {
    await until(`${w.name} started`, () => started(w));
    assert.match(w.out, new RegExp(`embedded PostgreSQL on 127\\.0\\.0\\.1:${port}, .*\\(attached: run by pid ${api.child.pid}, which stops it\\)`));
    assert.match(w.out, /attaching to the sandbox world/);
  }
  for (const p of procs) assert.ok(!p.out.includes(creds.password), `${p.name} printed the database password`);
  // a second API on the same DATA_DIR is refused, and takes nothing of the first one's world with it
  const second = start('api-twice', 'api');
  const code = await new Promise<number | null>((r) => second.child.once('exit', (c) => r(c)));
  assert.equal(code, 1);
  assert.match(
    second.out,
    new RegExp(`another Conciergerie process \\(pid ${api.child.pid}\\) runs the sandbox world of ${dataDir}; start this one with --role=worker`),
  );
  assert.ok(fs.existsSync(path.join(dataDir, 'sandbox', 'world.json')), "the first API's world.json is still there");
  procs.splice(procs.indexOf(second), 1);

  const tokens: string[] = [];
  for (let n = 0; n < 8; n++) tokens.push(await order(base, n));
  for (const t of tokens) await delivered(base, t);
  // the emails the workers queued link to the API, whatever port it took (PORT=0: the workers read it from DATA_DIR)
  const admin = async (path: string) => (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
  const live = await until(
    'the delivery emails',
    async () => {
      const outbox = (await admin(`/api/admin/outbox?state=sent&q=${encodeURIComponent('est en ligne')}`)) as { items: { id: string }[] };
      return outbox.items.length >= 8 && outbox.items;
    },
    20_000,
  );
  assert.equal(live.length, 8, 'one delivery email per order');
  for (const m of live) {
    const { text } = (await admin(`/api/admin/outbox/${m.id}`)) as { text: string };
    assert.ok(text.includes(appUrl(api)!), `the delivery email links to ${appUrl(api)}`);
  }
  // every step of every order done once, by one worker process or the other, and both took part
  const byWorker = workers.map(stepsDoneBy);
  assert.equal(byWorker[0]!.length + byWorker[1]!.length, 8 * 8, 'eight steps per order, each done once');
  for (const [i, steps] of byWorker.entries()) assert.ok(steps.length > 0, `worker-${i + 1} did none of the work`);

  // the API stops (and its PostgreSQL with it): the workers stay, and carry on once it is back
  await stop(api);
  await until('the workers saw the database go', () => workers.every((w) => w.out.includes('"event":"database_owner_gone"')), 20_000);
  assert.ok(
    workers.every((w) => w.child.exitCode === null),
    'the workers are still running',
  );
  const again = start('api-again', 'api');
  await until('the API started again', () => started(again));
  assert.match(again.out, new RegExp(`embedded PostgreSQL on 127\\.0\\.0\\.1:${port}, `), 'PostgreSQL back on the same port');
  await until('the workers saw it come back', () => workers.every((w) => w.out.includes('"event":"database_back"')), 20_000);
  const base2 = appUrl(again)!.replace('localhost', '127.0.0.1');
  const before = workers.map((w) => stepsDoneBy(w).length);
  const last = await order(base2, 99);
  await delivered(base2, last);
  assert.equal(
    workers.reduce((n, w, i) => n + stepsDoneBy(w).length - before[i]!, 0),
    8,
    'the order after the restart was worked by the same worker processes',
  );

  // only the owner stops PostgreSQL: a worker leaving does not, the API leaving does
  await stop(workers[0]!);
  const client = new pg.Client({ connectionString: `postgres://conciergerie:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/conciergerie` });
  await client.connect();
  assert.equal((await client.query('select 1 as ok')).rows[0].ok, 1);
  await client.end();
  await stop(again);
  assert.ok(!fs.existsSync(path.join(dataDir, 'pg.running.json')), 'the owner removed its running file');
  await stop(workers[1]!);
});
