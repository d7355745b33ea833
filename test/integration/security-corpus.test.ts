// Hundreds of bad inputs over every route the app serves: each refused with a 4xx and {code, message} in the asker's language (or, on a page without input, not echoed), never a 5xx, and nothing stored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { png } from '../support/images.ts';
import { MARKER, SITE_DOCUMENT, clientAddress, corpus, send, type Target } from '../security/corpus.ts';
import { signIn } from '../support/account.ts';
import { errorMessage, hasMessage } from '../../src/http/error-messages.ts';
import { HOLDER } from '../support/holder.ts';

const ADMIN_PASSWORD = 'corpus-admin-password-4x8!';
const METRICS_TOKEN = 'corpus-metrics-token-0123456789abcdef';

let sys: TestSystem;
let target: Target;
const inputs = corpus();

before(async () => {
  // no workers: nothing runs in the background, so any row that appears came from a request
  sys = await startTestSystem({ RUN_WORKER: 'false', ADMIN_PASSWORD, METRICS_TOKEN, IMAGE_MAX_BYTES: '100000', ARCHIVE_MAX_MB: '1' });
  const order = async (domain: string, paymentProvider: 'stripe' | 'paypal') => {
    const r = await sys.api('/api/request-concierge-service', {
      body: {
        businessName: 'Boulangerie Témoin',
        email: `${domain}@example.org`,
        domain,
        tier: 'standard',
        locale: 'fr',
        paymentProvider,
        holder: HOLDER,
        acceptTerms: true,
        earlyStart: true,
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.trackingToken as string;
  };
  const upload = async (token: string, bytes: Buffer) => {
    const r = await fetch(`${sys.url}/api/sites/${token}/assets?kind=logo`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(bytes),
    });
    assert.equal(r.status, 201);
    return ((await r.json()) as { id: string }).id;
  };
  const token = await order('boulangerie-temoin.fr', 'stripe');
  const otherToken = await order('boulangerie-voisine.fr', 'paypal');
  const assetId = await upload(token, png(8, 8, [10, 20, 30]));
  const otherAssetId = await upload(otherToken, png(8, 8, [90, 20, 30]));
  const saved = await sys.api(`/api/sites/${token}`, { method: 'PUT', body: { version: 1, document: { ...SITE_DOCUMENT, logoAssetId: assetId } } });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  // a customer signed in to their space (the address of the first order)
  const account = await signIn(sys, 'boulangerie-temoin.fr@example.org');
  const login = await send(sys.url!, { method: 'POST', path: '/api/admin/login', body: { password: ADMIN_PASSWORD } });
  assert.equal(login.status, 200);
  target = {
    token,
    assetId,
    otherToken,
    otherAssetId,
    adminToken: sys.adminToken,
    adminCookie: String(login.headers['set-cookie']).split(';')[0]!,
    csrfToken: login.json.csrfToken,
    metricsToken: METRICS_TOKEN,
    stripeSecret: sys.sandbox!.credentials.stripeWebhookSecret,
    accountCookie: account.cookie,
    accountCsrf: account.csrfToken,
  };
});
after(async () => sys?.stop());

/**
 * What a refused request may write: each is an intended record, checked below to hold nothing of the request itself.
 * - webhook_rejections: refused payment webhooks counted per provider, second and reason (the rejected-webhooks alert);
 * - http_rate_limits: the rate limits' counters per route and client address.
 */
const EXPECTED_WRITES = ['public.webhook_rejections', 'public.http_rate_limits'];

/** Columns a request let in moves by design, left out of the checksum: a session's sliding end (src/account/sessions.ts). */
const MOVING: Record<string, string> = { 'public.account_sessions': 'id_hash, email, csrf_token, created_at' };

/** Every table of the database (ours and the job queue's), each with its row count and a checksum of its rows: a new table is watched without being named. */
async function tables(): Promise<Record<string, string>> {
  const { rows } = await sql<{ s: string; t: string }>`
    select table_schema as s, table_name as t from information_schema.tables
    where table_schema in ('public', 'graphile_worker') and table_type = 'BASE TABLE' order by 1, 2`.execute(sys.db);
  const out: Record<string, string> = {};
  for (const { s, t } of rows) {
    const {
      rows: [r],
    } = await sql<{ n: number; sum: string }>`
      select count(*)::int as n, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as sum
      from (select ${sql.raw(MOVING[`${s}.${t}`] ?? '*')} from ${sql.table(`${s}.${t}`)}) x`.execute(sys.db);
    out[`${s}.${t}`] = `${r!.n} rows ${r!.sum}`;
  }
  return out;
}

async function snapshot() {
  // lookups (RDAP, whois) are written in batches: what is still waiting belongs to the moment before
  await sys.flushLookups();
  const all = await tables();
  for (const t of EXPECTED_WRITES) delete all[t];
  return {
    ...all,
    'sandbox emails': String(sys.sandbox!.smtp.messages().length),
    'sandbox registrations': String(sys.sandbox!.registry.all().length),
    'sandbox checkouts': String(sys.sandbox!.stripe.sessions().length + sys.sandbox!.paypal.orders().length),
  };
}

/** Routes with no input to refuse (pages and files): their corpus entries may all be "ignored" ones. */
const WITHOUT_INPUT = new Set([
  'GET /',
  'GET /admin',
  'GET /admin/*',
  'GET /healthz',
  'GET /api/prices',
  'GET /api/legal',
  'GET /mentions-legales',
  'GET /legal-notice',
  'GET /favicon.svg',
  'GET /docs',
  'GET /docs/json',
  'GET /docs/yaml',
  'GET /docs/static/index.html',
  'GET /docs/static/swagger-initializer.js',
  'GET /suivi/:token/*',
  'GET /track/:token/*',
  'POST /api/admin/logout',
  'GET /api/account/dns-presets',
]);

test('the corpus holds at least 200 bad inputs, and covers every route the app serves: a new route without inputs fails here', () => {
  assert.ok(inputs.length >= 200, `${inputs.length} inputs`);
  const routes = new Set(sys.app!.routeList);
  assert.ok(routes.size > 40, `${routes.size} routes`);
  const covered = new Set(inputs.map((i) => i.endpoint));
  assert.deepEqual(
    [...routes].filter((r) => !covered.has(r)),
    [],
    'routes without a corpus entry',
  );
  assert.deepEqual(
    [...covered].filter((e) => !routes.has(e)),
    [],
    'corpus entries for routes the app does not have',
  );
  const refused = new Set(inputs.filter((i) => !i.ignored).map((i) => i.endpoint));
  assert.deepEqual(
    [...routes].filter((r) => !refused.has(r) && !WITHOUT_INPUT.has(r)),
    [],
    'routes that take input without a refused input',
  );
});

test('every bad input is refused: a 4xx with {code, message} in the asker’s language, security headers, no echo, and nothing stored', async () => {
  const before = await snapshot();
  const problems: string[] = [];
  let i = 0;
  // a few at a time, each from its own address, so that per-client rate limits do not stand in for validation
  const queue = inputs.map((input) => ({ input, n: i++ }));
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { input, n } = next;
        const label = `${input.endpoint} — ${input.name}`;
        // half of them asked by a French browser: the message must then be French
        const french = n % 2 === 0;
        const headers = { ...(french ? { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' } : {}), ...input.headers?.(target) };
        let r;
        try {
          r = await send(
            sys.url!,
            { method: input.method, path: input.path(target), headers, body: typeof input.body === 'function' ? input.body(target) : input.body },
            clientAddress(n),
          );
        } catch (err) {
          problems.push(`${label}: no answer (${(err as Error).message})`);
          continue;
        }
        if (r.text.includes(MARKER) || /<script>alert\(1\)/.test(r.text)) problems.push(`${label}: the answer carries the injected markup back`);
        if (!r.headers['content-security-policy'] || r.headers['x-content-type-options'] !== 'nosniff') problems.push(`${label}: security headers missing`);
        if (r.status >= 500 || r.status === 0) {
          problems.push(`${label}: answered ${r.status} ${r.text.slice(0, 160)}`);
          continue;
        }
        if (input.ignored) continue;
        const ok = input.statuses ? input.statuses.includes(r.status) : r.status >= 400 && r.status < 500;
        if (!ok) {
          problems.push(`${label}: answered ${r.status} ${r.text.slice(0, 160)}`);
          continue;
        }
        const { code, message } = r.json ?? {};
        if (typeof code !== 'string' || typeof message !== 'string' || !message) {
          problems.push(`${label}: ${r.status} without {code, message}: ${r.text.slice(0, 160)}`);
          continue;
        }
        if (input.code && code !== input.code) problems.push(`${label}: code ${code}, expected ${input.code}`);
        // Node's parser refuses some requests before any header is read: those answer in English
        if (french && r.status !== 431 && hasMessage(code) && errorMessage(code, 'en') !== errorMessage(code, 'fr') && message === errorMessage(code, 'en')) {
          problems.push(`${label}: a French browser was answered in English (${code})`);
        }
      }
    }),
  );
  assert.deepEqual(problems, [], `${problems.length} of ${inputs.length} inputs not refused properly:\n${problems.join('\n')}`);
  assert.deepEqual(await snapshot(), before, 'a refused request stored something');
  // nothing in the logs at error level either: a refusal is not an incident
  const errors = sys.logLines.filter((l) => JSON.parse(l).level >= 50);
  assert.deepEqual(errors, []);
});

test('the writes a refusal may make hold nothing of the request: refused webhooks are counted by provider, second and reason; rate limits by route and address', async () => {
  const columns = async (table: string) =>
    (
      await sql<{
        c: string;
      }>`select column_name as c from information_schema.columns where table_schema = 'public' and table_name = ${table} order by ordinal_position`.execute(
        sys.db,
      )
    ).rows.map((r) => r.c);
  assert.deepEqual(await columns('webhook_rejections'), ['provider', 'second', 'reason', 'count']);
  const rejections = await sys.db.selectFrom('webhook_rejections').selectAll().execute();
  assert.ok(rejections.length > 0, 'the corpus’s refused webhooks were counted');
  for (const r of rejections) {
    assert.ok(['stripe', 'paypal'].includes(r.provider), r.provider);
    assert.match(r.reason, /^[A-Za-z_]{1,60}$/, 'a reason is a code, never text from the request');
  }
  assert.deepEqual(await columns('http_rate_limits'), ['key', 'hits', 'resets_at']);
  const { rows: keys } = await sql<{ key: string }>`select key from http_rate_limits`.execute(sys.db);
  assert.ok(keys.length > 0);
  // an answer to "Are you satisfied?" is also counted per order: by a digest of its token, never the token
  for (const { key } of keys)
    assert.match(
      key,
      /^(([A-Z,]+ \/[\w/:*.-]*|webhook_refusals)\|[0-9a-f.:]+|(satisfaction_token|account_login_address)\|[0-9a-f]{32})$/,
      `a counter's key is a route and an address: ${key}`,
    );
});
