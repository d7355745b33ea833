// A publish past Netlify's three deploys a minute per site: it waits for the host (rescheduled, not slept), the timeline says how long, then it goes live.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';

let sys: TestSystem;
let demo: { orderId: string; trackingToken: string; domain: string; state: string };

before(async () => {
  sys = await startTestSystem({ RETRY_BASE_MS: '300' });
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 60, locale: 'fr' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  demo = r.body;
  assert.equal(demo.state, 'delivered');
});
after(async () => sys?.stop());

/** the site's deploys of the minute all available again, as a minute later */
async function freshDeployBudget(): Promise<void> {
  const order = await sys.db.selectFrom('orders').select('site_id').where('id', '=', demo.orderId).executeTakeFirstOrThrow();
  await sql`update rate_limit_buckets set tokens = 3, updated_at = clock_timestamp() where bucket = ${`netlify:deploy:${order.site_id}`}`.execute(sys.db);
}

/** saves the site's document with another tagline and asks for it to go live; answers the version saved */
async function saveAndPublish(token: string, tagline: string): Promise<number> {
  const { body: current } = await sys.api(`/api/sites/${token}`);
  const saved = await sys.api(`/api/sites/${token}`, { method: 'PUT', body: { version: current.version, document: { ...current.document, tagline } } });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.equal((await sys.api(`/api/sites/${token}/publish`, { method: 'POST' })).status, 202);
  return saved.body.version as number;
}

const events = (type: string) =>
  sys.db.selectFrom('order_events').select(['type', 'data']).where('order_id', '=', demo.orderId).where('type', '=', type).orderBy('id').execute();

test('the site has used its deploys of the minute: the publish waits, the timeline and the status say until when, then it goes live', {
  timeout: 60_000,
}, async () => {
  // our shared budget for this site as three quick publishes leave it: the next deploy in about 8 s
  const order = await sys.db.selectFrom('orders').select('site_id').where('id', '=', demo.orderId).executeTakeFirstOrThrow();
  const perMs = 3 / 60_000;
  await sql`update rate_limit_buckets set tokens = ${1 - 8_000 * perMs}, updated_at = clock_timestamp() where bucket = ${`netlify:deploy:${order.site_id}`}`.execute(
    sys.db,
  );

  const version = await saveAndPublish(demo.trackingToken, 'Un changement rapide');

  const waiting = await eventually(async () => (await events('site_publish_waiting')).find((e) => e.data.version === version), 10_000);
  const seconds = Number(waiting.data.seconds);
  assert.ok(seconds > 3 && seconds <= 9, JSON.stringify(waiting.data));
  const until = new Date(String(waiting.data.until)).getTime();
  assert.ok(Math.abs(until - (Date.now() + seconds * 1000)) < 3_000, 'until is when the host takes the next deploy');
  const status = await sys.api(`/api/concierge/status/${demo.trackingToken}?lang=fr`);
  assert.ok(
    status.body.timeline.some(
      (e: { message: string }) => e.message === `L’hébergeur limite les mises en ligne à trois par minute : la version ${version} part dans ${seconds} s.`,
    ),
    status.body.timeline.map((e: { message: string }) => e.message).join('\n'),
  );
  // no worker slot held meanwhile: the job is back in the queue, due when the wait ends
  const job = await sql<{
    run_at: Date;
    locked_at: Date | null;
  }>`select run_at, locked_at from graphile_worker.jobs where key = ${`site-publish:${demo.orderId}`}`.execute(sys.db);
  assert.equal(job.rows.length, 1);
  assert.equal(job.rows[0]!.locked_at, null);
  assert.ok(Math.abs(new Date(job.rows[0]!.run_at).getTime() - until) < 1_000);

  const published = await eventually(async () => (await events('site_published')).find((e) => e.data.version === version), 30_000, 250);
  assert.ok(published);
  const types = (await sys.db.selectFrom('order_events').select('type').where('order_id', '=', demo.orderId).orderBy('id').execute()).map((e) => e.type);
  assert.deepEqual(types.filter((t) => t.startsWith('site_publish') || t === 'site_published').slice(-4), [
    'site_publish_requested',
    'site_publish_waiting',
    'site_publish_deployed',
    'site_published',
  ]);
});

test('the host takes its time over a deploy: the publish job comes back to look at it (no worker held), then the version goes live', {
  timeout: 60_000,
}, async () => {
  const netlify = sys.sandbox!.netlify;
  await freshDeployBudget();
  netlify.setProcessingTime(3_000);
  try {
    const version = await saveAndPublish(demo.trackingToken, 'Un hébergeur qui prend son temps');
    // while the host processes the deploy, the job waits in the queue with the deploy it started, unlocked
    const waiting = await eventually(async () => {
      const { rows } = await sql<{
        payload: { deploy?: { id: string; version: number } };
        locked_at: Date | null;
        run_at: Date;
      }>`select payload, locked_at, run_at from graphile_worker._private_jobs where key = ${`site-publish:${demo.orderId}`}`.execute(sys.db);
      const row = rows[0];
      return row?.payload.deploy && row.locked_at === null && new Date(row.run_at).getTime() > Date.now() ? row : undefined;
    }, 10_000);
    assert.equal(waiting.payload.deploy!.version, version);
    assert.ok(
      (await events('site_publish_deployed')).every((e) => e.data.version !== version),
      'not deployed before the host says ready',
    );
    const published = await eventually(async () => (await events('site_published')).find((e) => e.data.version === version), 30_000, 250);
    assert.ok(published);
  } finally {
    netlify.setProcessingTime(25);
  }
});

test('a deploy the host rejects while the job waits for it is replaced by a new one, which goes live', { timeout: 90_000 }, async () => {
  // an order of its own: the host allows a site three deploys a minute, and the tests above used this minute's
  const r = await sys.api('/api/test/concierge/demo', { body: { scenario: 'available', timeoutSeconds: 60, locale: 'en' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const other: typeof demo = r.body;
  const eventsOf = (type: string) =>
    sys.db.selectFrom('order_events').select(['type', 'data']).where('order_id', '=', other.orderId).where('type', '=', type).orderBy('id').execute();
  const netlify = sys.sandbox!.netlify;
  netlify.setProcessingTime(60_000);
  const version = await saveAndPublish(other.trackingToken, 'Rejected once');
  const first = await eventually(async () => {
    const { rows } = await sql<{
      payload: { deploy?: { id: string } };
    }>`select payload from graphile_worker._private_jobs where key = ${`site-publish:${other.orderId}`} and locked_at is null`.execute(sys.db);
    return rows[0]?.payload.deploy?.id;
  }, 10_000);
  netlify.setProcessingTime(25);
  netlify.failDeploy(first, 'Deploy rejected by the host', 'rejected');
  const live = await eventually(async () => (await eventsOf('site_published')).find((e) => e.data.version === version), 45_000, 250).catch(async (e) => {
    console.log(
      'DEBUG',
      JSON.stringify(
        (await sql`select key, payload, locked_at, run_at, attempts, last_error from graphile_worker._private_jobs where key like 'site-%'`.execute(sys.db))
          .rows,
      ),
      JSON.stringify(
        await sys.db.selectFrom('order_events').select(['type', 'data']).where('order_id', '=', other.orderId).orderBy('id', 'desc').limit(6).execute(),
      ),
    );
    throw e;
  });
  assert.ok(live);
  const deploys = await sys.db
    .selectFrom('provider_calls')
    .select('operation')
    .where('order_id', '=', other.orderId)
    .where('operation', '=', 'deploy')
    .execute();
  // the pipeline's deploy, the rejected one, the one that went live
  assert.ok(deploys.length >= 3, `${deploys.length} deploy calls`);
});
