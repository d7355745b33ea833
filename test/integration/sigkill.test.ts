// A worker process killed with SIGKILL mid-pipeline holds no order hostage: its jobs are freed and another worker finishes, with nothing bought, charged or sent twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { HOLDER } from '../support/holder.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
let sys: TestSystem;
const children: ChildProcess[] = [];

const env = { WORKER_STALE_SECONDS: '3', HEARTBEAT_SECONDS: '1', SWEEP_SECONDS: '1' };

before(async () => {
  // this process runs the API and the sandbox world, but no worker: the workers are separate processes
  sys = await startTestSystem({ ...env, RUN_WORKER: 'false' });
});
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await sys?.stop();
});

function startWorkerProcess(): ChildProcess {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conciergerie-worker-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role=worker'], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      DATABASE_URL: sys.databaseUrl,
      DATA_DIR: dataDir,
      SANDBOX_ATTACH: path.join(sys.config.dataDir, 'sandbox', 'world.json'),
      LOG_LEVEL: 'silent',
      ADMIN_TOKEN: 'test-admin-token-0123456789abcdef',
      WORKER_CONCURRENCY: '10',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', () => {});
  children.push(child);
  return child;
}

test('SIGKILL mid-pipeline: another worker finishes every order, exactly once', async () => {
  // slow providers, so that the kill lands in the middle of steps
  for (const s of [sys.sandbox!.namecheap, sys.sandbox!.netlify]) s.faults.latency = { minMs: 300, maxMs: 700 };
  const first = startWorkerProcess();
  const orders: { orderId: string; trackingToken: string; email: string }[] = [];
  for (let i = 0; i < 6; i++) {
    const email = `kill-${i}@example.org`;
    const r = await sys.api('/api/request-concierge-service', {
      body: {
        holder: HOLDER,
        acceptTerms: true,
        earlyStart: true,
        businessName: `Atelier ${i}`,
        email,
        domain: `atelier-kill-${i}.fr`,
        tier: i % 2 ? 'express' : 'standard',
        locale: 'fr',
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    orders.push({ orderId: r.body.orderId, trackingToken: r.body.trackingToken, email });
  }
  for (const o of orders) {
    const link = await sys.db.selectFrom('payment_links').select('provider_ref').where('order_id', '=', o.orderId).executeTakeFirstOrThrow();
    sys.sandbox!.stripe.pay(link.provider_ref!);
  }
  const ids = orders.map((o) => o.orderId);
  // kill once orders are in the middle of phases 2 and 3
  await eventually(
    async () => {
      const rows = await sys.db.selectFrom('orders').select('state').where('id', 'in', ids).execute();
      return rows.some((r) => ['registering_domain', 'creating_site', 'deploying'].includes(r.state)) && rows.some((r) => r.state !== 'awaiting_payment');
    },
    30_000,
    20,
  );
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  const killedAt = Date.now();
  const stuck = await sys.db.selectFrom('orders').select(['state']).where('id', 'in', ids).where('state', '<>', 'delivered').execute();
  assert.ok(stuck.length > 0, 'the kill happened before every order was delivered');

  startWorkerProcess();
  await eventually(
    async () => {
      const rows = await sys.db.selectFrom('orders').select('state').where('id', 'in', ids).execute();
      return rows.every((r) => r.state === 'delivered');
    },
    90_000,
    200,
  );
  const recoverySeconds = (Date.now() - killedAt) / 1000;
  assert.ok(recoverySeconds < 60, `all orders delivered ${recoverySeconds} s after the kill`);

  // nothing twice: one registration per domain, the one the order recorded; no refund; each email once
  const regs = sys.sandbox!.registry.all();
  for (const o of orders) {
    const row = await sys.db.selectFrom('orders').select(['domain', 'registrar_domain_id', 'email']).where('id', '=', o.orderId).executeTakeFirstOrThrow();
    const mine = regs.filter((r) => r.domain === row.domain);
    assert.equal(mine.length, 1);
    assert.equal(String(mine[0]!.domainId), row.registrar_domain_id);
    const creates = await sys.db
      .selectFrom('provider_calls')
      .select('outcome')
      .where('order_id', '=', o.orderId)
      .where('operation', '=', 'domains.create')
      .where('outcome', '=', 'ok')
      .execute();
    assert.ok(creates.length <= 1, 'at most one successful purchase call recorded');
    await eventually(
      async () =>
        new Set(
          sys
            .sandbox!.smtp.messages()
            .filter((m) => m.to.includes(o.email))
            .map((m) => m.messageId),
        ).size >= 3,
      10_000,
    );
    await new Promise((r) => setTimeout(r, 200));
    // One email per purpose. SMTP cannot be transactional: a worker killed after the server accepted a
    // message but before the outbox row was marked sent resends it — with the same Message-ID, so the
    // mail client shows one message. A second *distinct* message would be a real duplicate.
    // the invoice goes by its own job, once its PDF is rendered
    await eventually(
      async () =>
        new Set(
          sys
            .sandbox!.smtp.messages()
            .filter((m) => m.to.includes(o.email))
            .map((m) => m.messageId),
        ).size >= 4,
      30_000,
    );
    const received = sys.sandbox!.smtp.messages().filter((m) => m.to.includes(o.email));
    const distinct = new Map(received.map((m) => [m.messageId, m.subject]));
    const subjects = [...distinct.values()];
    assert.equal(subjects.length, new Set(subjects).size, `an email was sent twice: ${subjects.join(' | ')}`);
    assert.equal(subjects.length, 4);
    const rows = await sys.db.selectFrom('outbox_emails').select(['kind']).where('order_id', '=', o.orderId).execute();
    assert.deepEqual(rows.map((r) => r.kind).sort(), ['confirmation', 'delivered', 'invoice', 'progress']);
  }
  assert.equal(sys.sandbox!.stripe.events().filter((e) => e.event.type === 'charge.refunded').length, 0);
});
