// The admin lists tell the truth: more rows than a page, a true total (or "more than 10,000"), cursor paging with no duplicate and no gap even when rows arrive between two pages, filters and search on the server, bad limits and cursors refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { TOTAL_CAP } from '../../src/db/paging.ts';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789abcdef' };
let sys: TestSystem;

// the API alone: no worker touches the rows these tests put in place
before(async () => {
  sys = await startTestSystem({}, { role: 'api' });
});
after(async () => sys?.stop());

const get = (path: string) => sys.api(path, { headers: ADMIN });
const ids = async (query: ReturnType<typeof sql<{ id: string }>>) => (await query.execute(sys.db)).rows.map((r) => String(r.id));
const withParams = (path: string, params: Record<string, string | number | undefined>) => {
  const url = new URL(path, 'http://x');
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, String(v));
  return `${url.pathname}${url.search}`;
};

interface ListCase {
  /** the list's path, with the filter that keeps it to this test's rows */
  path: string;
  idOf(item: Record<string, unknown>): string;
  /** the ids in the order the list must give them, read straight from the table */
  expected(): Promise<string[]>;
  /** adds rows that sort before every row already there (the newest, or the first by status and name) */
  insertFirst(n: number): Promise<void>;
}

/**
 * Reads the whole list page by page; after the first page, adds rows that sort before it (a
 * list paged by offset would then show some rows twice). The pages together must be exactly the
 * rows there were, in order, and the total must count the new rows.
 */
async function checkPaging(c: ListCase, opts: { limit: number; rows: number }) {
  const before = await c.expected();
  assert.ok(before.length >= opts.rows, `${c.path}: at least ${opts.rows} rows in place`);
  const first = await get(c.path);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual(Object.keys(first.body).sort(), ['items', 'nextCursor', 'total', 'totalIsExact']);
  assert.equal(first.body.items.length, 50, 'the default page is 50 rows');
  assert.equal(first.body.total, before.length);
  assert.equal(first.body.totalIsExact, true);
  assert.equal(typeof first.body.nextCursor, 'string');

  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const r = await get(withParams(c.path, { limit: opts.limit, cursor }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const page = r.body.items.map(c.idOf);
    assert.ok(page.length <= opts.limit);
    if (r.body.nextCursor) assert.equal(page.length, opts.limit, 'a page that says more follows is full');
    seen.push(...page);
    cursor = r.body.nextCursor ?? undefined;
    pages++;
    if (pages === 1) await c.insertFirst(3);
    if (pages === 2) assert.equal(r.body.total, before.length + 3, 'the total counts the rows added meanwhile');
  } while (cursor);
  assert.equal(pages, Math.ceil(before.length / opts.limit));
  assert.equal(new Set(seen).size, seen.length, 'no row twice');
  assert.deepEqual(seen, before, 'every row that was there, once, in order');
  // and from the start again, the new rows lead
  const again = await get(c.path);
  assert.equal(again.body.total, before.length + 3);
  assert.deepEqual(again.body.items.slice(0, 50).map(c.idOf), (await c.expected()).slice(0, 50));
}

/** The total a filtered list gives, checked against a count made in SQL. */
async function checkTotal(path: string, expected: number) {
  const r = await get(path);
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.total, expected, path);
  assert.equal(r.body.totalIsExact, true);
  assert.equal(r.body.items.length, Math.min(50, expected), path);
  return r.body.items as Record<string, unknown>[];
}
const count = async (query: ReturnType<typeof sql<{ n: number }>>) => Number((await query.execute(sys.db)).rows[0]!.n);

describe('orders', () => {
  const insertOrders = (from: number, to: number, createdAt: ReturnType<typeof sql>) =>
    sql`
    insert into orders (id, tracking_token, business_name, email, locale, domain, domain_unicode, tier, state, currency, price_items,
      total_cents, payment_provider, deadline_hours, created_at)
    select gen_random_uuid(), 'paging-token-' || i || '-' || md5(random()::text), 'Boulangerie Paging ' || i, 'paging' || i || '@example.org', 'fr',
      'paging-' || i || '.fr', 'paging-' || i || '.fr',
      case when i % 3 = 0 then 'express' else 'standard' end,
      (array['delivered', 'cancelled', 'refunded', 'payment_expired'])[i % 4 + 1],
      'EUR', '[]'::jsonb, 1000 + i, case when i % 5 = 0 then 'paypal' else 'stripe' end, 24, ${createdAt}
    from generate_series(${from}::int, ${to}::int) i`.execute(sys.db);

  before(async () => {
    // 60 orders made in the same instant (the id breaks the tie), 70 one minute apart before them
    await insertOrders(1, 60, sql`now()`);
    await insertOrders(61, 130, sql`now() - make_interval(mins => i)`);
  });

  test('paged by cursor, newest first, with the true total; orders arriving meanwhile neither repeat nor push rows out', async () => {
    let extra = 1000;
    await checkPaging(
      {
        path: '/api/admin/orders',
        idOf: (o) => String(o.id),
        expected: () => ids(sql`select id from orders order by created_at desc, id desc`),
        insertFirst: async (n) => {
          await insertOrders(extra, extra + n - 1, sql`now() + interval '1 minute'`);
          extra += n;
        },
      },
      { limit: 40, rows: 130 },
    );
  });

  test('filtered by state, tier, provider, creation time and deadline at risk, on the server', async () => {
    for (const state of ['delivered', 'cancelled', 'refunded', 'payment_expired']) {
      const items = await checkTotal(`/api/admin/orders?state=${state}`, await count(sql`select count(*) as n from orders where state = ${state}`));
      assert.ok(items.every((o) => o.state === state));
    }
    await checkTotal('/api/admin/orders?tier=express', await count(sql`select count(*) as n from orders where tier = 'express'`));
    const paypal = await checkTotal('/api/admin/orders?provider=paypal', await count(sql`select count(*) as n from orders where payment_provider = 'paypal'`));
    assert.ok(paypal.every((o) => o.payment_provider === 'paypal'));
    await checkTotal(
      '/api/admin/orders?state=delivered&tier=standard&provider=stripe',
      await count(sql`select count(*) as n from orders where state = 'delivered' and tier = 'standard' and payment_provider = 'stripe'`),
    );
    // created between 90 and 70 minutes ago (from included, to excluded): orders 70 to 89
    const from = new Date(Date.now() - 90 * 60_000).toISOString();
    const to = new Date(Date.now() - 70 * 60_000).toISOString();
    const inRange = await count(sql`select count(*) as n from orders where created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz`);
    assert.ok(inRange >= 19 && inRange <= 21, `about 20 orders in the window, not ${inRange}`);
    await checkTotal(withParams('/api/admin/orders', { createdFrom: from, createdTo: to }), inRange);
    // none of these is being worked on, so none is at risk
    await checkTotal('/api/admin/orders?atRisk=true', 0);
  });

  test('searched on the server by domain, email, business name and order id', async () => {
    // "paging-12" is in paging-12.fr and paging-120.fr .. paging-129.fr
    const byDomain = await checkTotal('/api/admin/orders?q=paging-12', 11);
    assert.ok(byDomain.every((o) => String(o.domain).startsWith('paging-12')));
    await checkTotal('/api/admin/orders?q=PAGING7%40example', 1);
    await checkTotal(withParams('/api/admin/orders', { q: 'Boulangerie Paging 4' }), 11);
    const one = await sys.db.selectFrom('orders').select(['id', 'domain']).where('domain', '=', 'paging-77.fr').executeTakeFirstOrThrow();
    const byId = await checkTotal(`/api/admin/orders?q=${one.id.slice(0, 13)}`, 1);
    assert.equal(byId[0]!.domain, 'paging-77.fr');
    // the search's wildcards are taken literally
    await checkTotal('/api/admin/orders?q=%25', 0);
    await checkTotal('/api/admin/orders?q=paging_1', 0);
    // search and filter together
    await checkTotal(
      '/api/admin/orders?q=paging-12&tier=express',
      await count(sql`select count(*) as n from orders where domain like 'paging-12%' and tier = 'express'`),
    );
  });
});

describe('alerts, watched sites, outbox, failed jobs, audit', () => {
  before(async () => {
    await sql`
      insert into alerts (rule, subject, severity, state, summary, opened_at, resolved_at)
      select case when i % 4 = 0 then 'paging_other' else 'paging_rule' end, 'subject-' || i, case when i % 3 = 0 then 'critical' else 'warning' end,
        case when i % 2 = 0 then 'resolved' else 'open' end, 'Paging alert number ' || i,
        case when i <= 40 then now() else now() - make_interval(secs => i) end,
        case when i % 2 = 0 then now() end
      from generate_series(1, 160) i`.execute(sys.db);
    // 120 watched sites over orders of their own, every status among them
    await sql`
      with o as (
        insert into orders (id, tracking_token, business_name, email, locale, domain, domain_unicode, tier, state, currency, price_items,
          total_cents, payment_provider, deadline_hours)
        select gen_random_uuid(), 'site-token-' || i || '-' || md5(random()::text), 'Fleuriste Site ' || i, 'site' || i || '@example.org', 'fr',
          'site-' || lpad(i::text, 3, '0') || '.fr', 'site-' || lpad(i::text, 3, '0') || '.fr', 'standard', 'delivered', 'EUR', '[]'::jsonb, 5000, 'stripe', 24
        from generate_series(1, 120) i
        returning id, domain)
      insert into monitors (order_id, url, enabled, last_status, disabled_reason)
      select o.id, 'https://' || o.domain || '/', n % 10 <> 0, (array[null, 'up', 'up', 'failing', 'down'])[n % 5 + 1],
        case when n % 10 = 0 then 'paused_by_operator' end
      from (select id, domain, substring(domain from 6 for 3)::int as n from o) o`.execute(sys.db);
    await sql`
      insert into outbox_emails (id, dedupe_key, kind, to_address, locale, subject, text_body, html_body, state, message_id, created_at)
      select gen_random_uuid(), 'paging:' || i, 'confirmation', 'reader' || (i % 7) || '@example.org', 'fr', 'Paging message ' || i, 'text ' || i,
        '<p>html ' || i || '</p>', (array['pending', 'sent', 'sent', 'failed'])[i % 4 + 1], '<paging-' || i || '@conciergerie.example>',
        case when i <= 50 then now() else now() - make_interval(secs => i) end
      from generate_series(1, 120) i`.execute(sys.db);
    await sql`select graphile_worker.add_job('paging_task_' || (i % 3), json_build_object('i', i), max_attempts => 1) from generate_series(1, 120) i`.execute(
      sys.db,
    );
    await sql`
      update graphile_worker._private_jobs set attempts = max_attempts, last_error = 'paging failure'
      where task_id in (select id from graphile_worker._private_tasks where identifier like 'paging_task_%')`.execute(sys.db);
    await sql`
      insert into admin_audit_log (action, target, actor, details)
      select case when i % 2 = 0 then 'job_retry' else 'monitor_pause' end, 'target-' || i, case when i % 3 = 0 then 'console' else 'api' end, '{}'::jsonb
      from generate_series(1, 120) i`.execute(sys.db);
  });

  test('alerts: paged newest first; by state, rule and severity; searched', async () => {
    let n = 1000;
    await checkPaging(
      {
        path: '/api/admin/alerts?rule=paging_rule',
        idOf: (a) => String(a.id),
        expected: () => ids(sql`select id from alerts where rule = 'paging_rule' order by opened_at desc, id desc`),
        insertFirst: async (k) => {
          for (let i = 0; i < k; i++)
            await sql`insert into alerts (rule, subject, severity, summary, opened_at) values ('paging_rule', ${`new-${n++}`}, 'warning', 'new', now() + interval '1 minute')`.execute(
              sys.db,
            );
        },
      },
      { limit: 30, rows: 120 },
    );
    const open = await checkTotal(
      '/api/admin/alerts?rule=paging_rule&state=open',
      await count(sql`select count(*) as n from alerts where rule = 'paging_rule' and state = 'open'`),
    );
    assert.ok(open.every((a) => a.state === 'open' && a.rule === 'paging_rule'));
    await checkTotal(
      '/api/admin/alerts?severity=critical&state=resolved',
      await count(sql`select count(*) as n from alerts where severity = 'critical' and state = 'resolved'`),
    );
    await checkTotal('/api/admin/alerts?rule=paging_other', 40);
    // 15 and 150 .. 159, of either rule
    await checkTotal('/api/admin/alerts?q=alert%20number%2015', 11);
    await checkTotal(
      '/api/admin/alerts?q=alert%20number%2015&rule=paging_other',
      await count(sql`select count(*) as n from alerts where rule = 'paging_other' and summary like 'Paging alert number 15%'`),
    );
  });

  test('watched sites: down first, stopped last, then by domain; by status; searched', async () => {
    const rank = sql`case when not m.enabled then 3 when m.last_status = 'down' then 0 when m.last_status = 'failing' then 1 else 2 end`;
    let n = 0;
    await checkPaging(
      {
        path: '/api/admin/monitors?q=site-',
        idOf: (m) => String(m.orderId),
        expected: () =>
          ids(
            sql`select m.order_id as id from monitors m join orders o on o.id = m.order_id where o.domain like 'site-%' order by ${rank}, o.domain, m.order_id`,
          ),
        // down, and named before every other site: they sort first
        insertFirst: async (k) => {
          await sql`
            with o as (
              insert into orders (id, tracking_token, business_name, email, locale, domain, domain_unicode, tier, state, currency, price_items,
                total_cents, payment_provider, deadline_hours)
              select gen_random_uuid(), 'site-new-' || i || '-' || md5(random()::text), 'New', 'new@example.org', 'fr', 'site-000-' || ${n} || '-' || i || '.fr',
                'site-000-' || ${n} || '-' || i || '.fr', 'standard', 'delivered', 'EUR', '[]'::jsonb, 5000, 'stripe', 24
              from generate_series(1, ${k}::int) i returning id, domain)
            insert into monitors (order_id, url, last_status) select id, 'https://' || domain || '/', 'down' from o`.execute(sys.db);
          n++;
        },
      },
      { limit: 25, rows: 120 },
    );
    const page = (await get('/api/admin/monitors?q=site-&limit=100')).body.items as { status: string; domain: string }[];
    const order = ['down', 'failing', 'up', 'unchecked', 'stopped'];
    const ranks = page.map((m) => Math.min(order.indexOf(m.status), 2) + (m.status === 'stopped' ? 1 : 0));
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => a - b),
      'down, then failing, then the others, stopped last',
    );
    for (const status of ['up', 'failing', 'down'] as const) {
      const items = await checkTotal(
        `/api/admin/monitors?status=${status}`,
        await count(sql`select count(*) as n from monitors where enabled and last_status = ${status}`),
      );
      assert.ok(items.every((m) => m.status === status));
    }
    await checkTotal('/api/admin/monitors?status=unchecked', await count(sql`select count(*) as n from monitors where enabled and last_status is null`));
    const stopped = await checkTotal('/api/admin/monitors?status=stopped', 12);
    assert.ok(stopped.every((m) => m.status === 'stopped' && m.stoppedReason === 'paused_by_operator'));
    await checkTotal('/api/admin/monitors?q=Fleuriste%20Site%2011', 11); // 11 and 110..119
    await checkTotal('/api/admin/monitors?q=site-042.fr', 1);
  });

  test('outbox: every email newest first, without its bodies; by state; searched by recipient and subject; one email with its bodies', async () => {
    let n = 1000;
    await checkPaging(
      {
        path: '/api/admin/outbox',
        idOf: (m) => String(m.id),
        expected: () => ids(sql`select id from outbox_emails order by created_at desc, id desc`),
        insertFirst: async (k) => {
          for (let i = 0; i < k; i++, n++) {
            await sql`insert into outbox_emails (id, dedupe_key, kind, to_address, locale, subject, text_body, html_body, message_id, created_at)
              values (gen_random_uuid(), ${`new:${n}`}, 'confirmation', 'new@example.org', 'fr', 'New', 't', 'h', ${`<new-${n}@x>`}, now() + interval '1 minute')`.execute(
              sys.db,
            );
          }
        },
      },
      { limit: 50, rows: 120 },
    );
    const first = (await get('/api/admin/outbox?limit=1')).body.items[0];
    assert.equal(first.html, undefined, 'the list carries no bodies');
    for (const state of ['pending', 'sent', 'failed']) {
      await checkTotal(`/api/admin/outbox?state=${state}`, await count(sql`select count(*) as n from outbox_emails where state = ${state}`));
    }
    await checkTotal('/api/admin/outbox?q=reader3%40example.org', 17);
    const bySubject = await checkTotal('/api/admin/outbox?q=paging%20message%20100', 1);
    const one = await get(`/api/admin/outbox/${bySubject[0]!.id}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.subject, 'Paging message 100');
    assert.equal(one.body.html, '<p>html 100</p>');
    assert.equal(one.body.text, 'text 100');
    assert.equal((await get(`/api/admin/outbox/${crypto.randomUUID()}`)).status, 404);
  });

  test('failed jobs: latest failure first; by task; searched by task and key', async () => {
    let n = 1000;
    await checkPaging(
      {
        path: '/api/admin/jobs/failed',
        idOf: (j) => String(j.id),
        expected: () =>
          ids(
            sql`select j.id::text as id from graphile_worker.jobs j where j.attempts >= j.max_attempts and j.locked_at is null order by j.updated_at desc, j.id desc`,
          ),
        insertFirst: async (k) => {
          for (let i = 0; i < k; i++, n++) {
            await sql`select graphile_worker.add_job('paging_task_new', json_build_object('i', ${n}::int), max_attempts => 1)`.execute(sys.db);
          }
          await sql`update graphile_worker._private_jobs set attempts = max_attempts, updated_at = now() + interval '1 minute'
            where task_id = (select id from graphile_worker._private_tasks where identifier = 'paging_task_new')`.execute(sys.db);
        },
      },
      { limit: 50, rows: 120 },
    );
    const items = await checkTotal('/api/admin/jobs/failed?task=paging_task_1', 40);
    assert.ok(items.every((j) => j.task === 'paging_task_1' && j.lastError === 'paging failure' && j.attempts === 1 && j.maxAttempts === 1));
    await checkTotal('/api/admin/jobs/failed?q=PAGING_TASK_2', 40);
    await checkTotal('/api/admin/jobs/failed?q=paging_task_new', 3);
  });

  test('audit: latest first; by action and actor; searched by target', async () => {
    await checkPaging(
      {
        path: '/api/admin/audit',
        idOf: (e) => String(e.id),
        expected: () => ids(sql`select id::text as id from admin_audit_log l order by l.id desc`),
        insertFirst: async (k) => {
          await sql`insert into admin_audit_log (action, target, actor) select 'monitor_resume', 'new-' || i, 'console' from generate_series(1, ${k}::int) i`.execute(
            sys.db,
          );
        },
      },
      { limit: 50, rows: 120 },
    );
    const retries = await checkTotal('/api/admin/audit?action=job_retry', 60);
    assert.ok(retries.every((e) => e.action === 'job_retry'));
    await checkTotal('/api/admin/audit?actor=console', 40 + 3);
    await checkTotal('/api/admin/audit?action=job_retry&actor=api', 40);
    await checkTotal('/api/admin/audit?q=target-11', 11);
  });
});

test('past 10,000 rows the total says "more than 10,000"; a filter under the cap is exact again', async () => {
  await sql`insert into admin_audit_log (action, target, actor) select 'bulk_test', 'bulk-' || i, 'api' from generate_series(1, ${TOTAL_CAP + 5}::int) i`.execute(
    sys.db,
  );
  const all = await get('/api/admin/audit');
  assert.equal(all.status, 200);
  assert.equal(all.body.total, TOTAL_CAP);
  assert.equal(all.body.totalIsExact, false);
  assert.equal(all.body.items.length, 50);
  const bulk = await get('/api/admin/audit?action=bulk_test');
  assert.deepEqual([bulk.body.total, bulk.body.totalIsExact], [TOTAL_CAP, false]);
  const some = await get('/api/admin/audit?action=bulk_test&q=bulk-999');
  // bulk-999 and bulk-9990 .. bulk-9999
  assert.deepEqual([some.body.total, some.body.totalIsExact], [11, true]);
});

test("a limit out of 1..100, a cursor that is not one, or another list's cursor: 422 with a code and a message, in French too", async () => {
  const lists = ['/api/admin/orders', '/api/admin/alerts', '/api/admin/monitors', '/api/admin/outbox', '/api/admin/jobs/failed', '/api/admin/audit'];
  for (const path of lists) {
    for (const limit of ['0', '101', '5000', '-1', '2.5', 'lots']) {
      const r = await get(`${path}?limit=${limit}`);
      assert.equal(r.status, 422, `${path}?limit=${limit}`);
      assert.equal(typeof r.body.code, 'string');
      assert.equal(typeof r.body.message, 'string');
    }
    assert.equal((await get(`${path}?limit=100`)).status, 200);
    for (const cursor of [
      'not a cursor',
      'bm90IGpzb24',
      Buffer.from('["orders"]').toString('base64url'),
      Buffer.from('{"a":1}').toString('base64url'),
      'x'.repeat(2001),
    ]) {
      const r = await get(withParams(path, { cursor }));
      assert.equal(r.status, 422, `${path} cursor ${cursor.slice(0, 20)}`);
      assert.match(r.body.code, /^(cursor_invalid|field_too_long)$/);
    }
  }
  const big = await get('/api/admin/orders?limit=5000');
  assert.equal(big.body.code, 'number_too_large');
  assert.equal(big.body.message, 'Please enter a number no greater than 100.');
  const fr = await sys.api('/api/admin/orders?limit=5000', { headers: { ...ADMIN, 'accept-language': 'fr' } });
  assert.equal(fr.body.message, 'Indiquez un nombre d’au plus 100.');
  // a cursor from the audit list, handed to the orders list; and one whose keys do not fit (an id that is not a UUID, SQL in a key)
  const auditCursor = (await get('/api/admin/audit?limit=1')).body.nextCursor;
  const wrong = await get(withParams('/api/admin/orders', { cursor: auditCursor }));
  assert.deepEqual([wrong.status, wrong.body.code], [422, 'cursor_invalid']);
  for (const keys of [
    ['orders', '1700000000000000', 'not-a-uuid'],
    ['orders', "1' or '1'='1", '00000000-0000-0000-0000-000000000000'],
    ['orders', 1700000000000000, '00000000-0000-0000-0000-000000000000'],
  ]) {
    const r = await get(withParams('/api/admin/orders', { cursor: Buffer.from(JSON.stringify(keys)).toString('base64url') }));
    assert.deepEqual([r.status, r.body.code], [422, 'cursor_invalid'], JSON.stringify(keys));
  }
  const frCursor = await sys.api('/api/admin/orders?cursor=nope', { headers: { ...ADMIN, 'accept-language': 'fr' } });
  assert.match(frCursor.body.message, /curseur/);
  // a well-formed cursor past the end: an empty page, the total still true
  const end = await get(
    withParams('/api/admin/orders', { cursor: Buffer.from(JSON.stringify(['orders', '0', '00000000-0000-0000-0000-000000000000'])).toString('base64url') }),
  );
  assert.equal(end.status, 200);
  assert.deepEqual(end.body.items, []);
  assert.equal(end.body.nextCursor, null);
  assert.ok(end.body.total > 130);
});
