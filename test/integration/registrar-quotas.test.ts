// Namecheap's quotas held by every process together: two API processes on one database share one budget (a minute,
// an hour, a day) and its priorities; HTTP 405 is waited out and the call sent again; 100 concurrent checks from two
// processes are coalesced into a few domains.check calls; when the budget is spent, checks answer unconfirmed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { startSystem, type System } from '../../src/system.ts';
import { ProviderError } from '../../src/errors.ts';
import { type BudgetedRegistrar, PgRegistrarBudget, type RegistrarCall } from '../../src/providers/registrar/budget.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { HOLDER } from '../support/holder.ts';

/** Our budget: ten calls a minute (the sandbox's Namecheap allows more: what stops the calls here is ours). */
const BUDGET = '10/min,700/h,8000/d';
/**
 * Names gather for 1.5 s and a check waits up to 8 s for the registrar (its alternatives and its whole answer as long):
 * however slowly this machine lets the requests arrive, they share a few calls, and what is asserted is how many, not
 * how fast.
 */
const PATIENT = {
  NAMECHEAP_BUDGET: BUDGET,
  REGISTRAR_CHECK_GATHER_MS: '1500',
  REGISTRAR_CONFIRM_WAIT_MS: '8000',
  AVAILABILITY_BUDGET_MS: '8000',
  CHECK_ANSWER_MS: '10000',
};

let a: TestSystem;
let b: System;
before(async () => {
  a = await startTestSystem(PATIENT, { role: 'api' });
  // a second API process: its own pool, budget object and coalescer, on the same database and the same sandbox world
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conciergerie-second-'));
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: a.config.DATABASE_URL!,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ADMIN_TOKEN: 'test-admin-token-0123456789abcdef',
    SANDBOX_ATTACH: path.join(a.config.dataDir, 'sandbox', 'world.json'),
    ...PATIENT,
  });
  b = await startSystem({ config, role: 'api', persistSandbox: false });
});
after(async () => {
  await b?.stop();
  await a?.stop();
});

const spent = async () =>
  Number((await sql<{ n: string }>`select count(*) as n from registrar_calls where at > now() - interval '1 minute'`.execute(a.db)).rows[0]!.n);
const clear = () =>
  sql`delete from registrar_calls; update registrar_budget set throttled_until = null, throttles = 0, wanted_until = array[null, null, null, null]::timestamptz[]`.execute(
    a.db,
  );
const throttledBySandbox = () => a.sandbox!.namecheap.faults;

/** The value of one series of a process's /metrics, 0 when it is not there. */
async function series(sys: TestSystem, name: string, labels: Record<string, string>): Promise<number> {
  const text = (await sys.api('/metrics', { headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' } })).body as string;
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('every registrar call counted', () => {
  test('the checks of intake and of alternatives count in conciergerie_provider_calls_total and in the budget', async () => {
    await clear();
    const before = await series(a, 'conciergerie_provider_calls_total', { provider: 'namecheap', operation: 'domains.check', outcome: 'ok' });
    // a taken name: its alternatives are confirmed by the registrar
    const taken = await a.api('/api/domains/check?name=taken-compte-appels.fr&businessName=Compte%20Appels');
    assert.equal(taken.status, 200);
    assert.ok(taken.body.alternatives.length > 0);
    // an order: intake confirms its name with the registrar
    const order = await a.api('/api/request-concierge-service', {
      body: {
        businessName: 'Compte Appels',
        email: 'compte@example.org',
        domain: 'compte-appels-commande.fr',
        tier: 'standard',
        locale: 'fr',
        holder: HOLDER,
        acceptTerms: true,
        earlyStart: true,
      },
    });
    assert.equal(order.status, 201, JSON.stringify(order.body));
    const counted = (await series(a, 'conciergerie_provider_calls_total', { provider: 'namecheap', operation: 'domains.check', outcome: 'ok' })) - before;
    assert.ok(counted >= 2, `${counted} domains.check calls counted`);
    assert.equal(await spent(), counted, 'each call counted took its share of the budget');
  });
});

describe('one budget for every process', () => {
  test('two API processes spend one budget: ten calls between them, the eleventh refused before it is sent', async () => {
    await clear();
    const seen: RegistrarCall[] = [];
    for (const s of [a, b]) (s.deps.registrar as BudgetedRegistrar).observe((c) => seen.push(c));
    for (let i = 0; i < 10; i++) await (i % 2 ? b : a).deps.registrar.at('order', 0).getList(1, 10);
    for (const s of [a, b]) {
      await assert.rejects(
        s.deps.registrar.at('order', 0).getList(1, 10),
        (e: unknown) => e instanceof ProviderError && e.code === 'rate_limited' && e.retryable,
      );
    }
    assert.equal(await spent(), 10);
    assert.equal(seen.filter((c) => c.operation === 'domains.getList').length, 10, 'every call sent was counted, the refused ones were never sent');
    assert.ok(
      seen.every((c) => c.outcome === 'ok'),
      'Namecheap never had to throttle',
    );
  });

  test('priorities: alternatives may spend a share, a paid order the whole budget', async () => {
    await clear();
    // ten a minute: alternatives 40 % (4), expiry lookups 60 % (6), intake confirmations 80 % (8), orders all of it
    const upTo = async (priority: 'alternatives' | 'expiry' | 'confirm' | 'order', total: number) => {
      for (let i = await spent(); i < total; i++) await (i % 2 ? a : b).deps.registrar.at(priority, 0).getList(1, 10);
      await assert.rejects(a.deps.registrar.at(priority, 0).getList(1, 10), /spent/);
      await assert.rejects(b.deps.registrar.at(priority, 0).getList(1, 10), /spent/);
    };
    await upTo('alternatives', 4);
    await upTo('expiry', 6);
    await upTo('confirm', 8);
    await upTo('order', 10);
    const budget = new PgRegistrarBudget(a.db, 'namecheap', { perMinute: 10, perHour: 700, perDay: 8000 });
    assert.deepEqual(await budget.spent(), { perMinute: 10, perHour: 10, perDay: 10 });
  });
});

describe('HTTP 405', () => {
  test('a throttled call is waited out and sent again, by every process, and succeeds: never a permanent failure', async () => {
    await clear();
    const outcomes: string[] = [];
    const registrar = a.deps.registrar as BudgetedRegistrar;
    registrar.observe((c) => {
      outcomes.push(`${c.operation} ${c.errorCode ?? c.outcome}`);
      // Namecheap throttles once, then answers
      if (c.errorCode === 'rate_limited') throttledBySandbox().reset();
    });
    throttledBySandbox().set({ rateLimitRate: 1 });
    try {
      const page = await registrar.at('order', 10_000).getList(1, 10);
      assert.ok(page.total >= 0);
      assert.deepEqual(outcomes, ['domains.getList rate_limited', 'domains.getList ok']);
      // the throttle held every process back: the budget's row says so
      const { rows } = await sql<{ throttles: number; throttled_until: Date | null }>`
        select throttles, throttled_until from registrar_budget where bucket = 'namecheap:api'`.execute(a.db);
      assert.equal(rows[0]!.throttles, 1);
      assert.ok(rows[0]!.throttled_until);
    } finally {
      throttledBySandbox().reset();
    }
  });

  test('a throttle that outlasts the caller’s patience fails retryably (the job comes back), not as invalid_request', async () => {
    await clear();
    throttledBySandbox().set({ rateLimitRate: 1 });
    try {
      await assert.rejects(
        a.deps.registrar.at('order', 500).getList(1, 10),
        (e: unknown) => e instanceof ProviderError && e.code === 'rate_limited' && e.retryable === true,
      );
    } finally {
      throttledBySandbox().reset();
      await clear();
    }
  });
});

describe('coalesced checks', () => {
  test('100 concurrent checks from two processes: a few domains.check calls between them, every answer confirmed', async () => {
    await clear();
    const calls = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from provider_calls where operation = 'domains.check'`.execute(a.db)).rows[0]!.n);
    const before = await calls();
    const answers = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const url = `${(i % 2 ? b : a).url}/api/domains/check?name=coalesce-${i}-libre.fr`;
        const res = await fetch(url);
        return { status: res.status, body: (await res.json()) as { available: boolean; confirmed: boolean; source: string } };
      }),
    );
    const made = (await calls()) - before;
    const unconfirmed = answers.filter((r) => !r.body.confirmed).length;
    const outcomes = (
      await sql<{ outcome: string; error_code: string | null; n: string }>`
      select outcome, error_code, count(*) as n from provider_calls where operation = 'domains.check' group by 1, 2`.execute(a.db)
    ).rows;
    assert.equal(unconfirmed, 0, `${unconfirmed} unconfirmed, ${made} calls: ${JSON.stringify(outcomes)}, spent ${await spent()}`);
    for (const r of answers) {
      assert.equal(r.status, 200);
      assert.equal(r.body.available, true);
    }
    assert.ok(made >= 2, `${made} calls: 50 names at most a call`);
    assert.ok(made <= 8, `${made} domains.check calls for 100 names, within the confirmations' eight a minute`);
    // asked again within the cache's life, the answers cost nothing more
    const again = await fetch(`${b.url}/api/domains/check?name=coalesce-7-libre.fr`);
    assert.equal(((await again.json()) as { confirmed: boolean }).confirmed, true);
    assert.equal(await calls(), before + made);
  });

  test('while the names wait out their gathering window, no process takes the flusher’s lease at every tick', async () => {
    await clear();
    await sql`update registrar_check_flusher set holder = null, until = null`.execute(a.db);
    const name = 'fenetre-attente-libre.fr';
    const check = a.api(`/api/domains/check?name=${name}`);
    // the name waits its 1.5 s window (REGISTRAR_CHECK_GATHER_MS); looked at during the first second of it
    const seen: (string | null)[] = [];
    for (;;) {
      const { rows } = await sql<{ holder: string | null; age_ms: number | null }>`
        select f.holder, (select (extract(epoch from clock_timestamp() - asked_at) * 1000)::float8 from registrar_checks where domain = ${name} and answer is null) as age_ms
        from registrar_check_flusher f where f.id = 1`.execute(a.db);
      const { holder, age_ms: age } = rows[0]!;
      if (age !== null && age > 1000) break;
      if (age !== null) seen.push(holder);
      if (age === null && seen.length) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(seen.length > 0, 'the name was seen waiting');
    assert.deepEqual([...new Set(seen)], [null], 'the lease was taken while nothing was ready');
    const answer = await check;
    assert.equal(answer.body.confirmed, true, JSON.stringify(answer.body));
    const { rows } = await sql<{ holder: string | null }>`select holder from registrar_check_flusher where id = 1`.execute(a.db);
    assert.notEqual(rows[0]!.holder, null, 'the lease was taken once the window was over');
  });

  test('the budget spent: the check answers from RDAP, unconfirmed', async () => {
    await clear();
    for (let i = 0; i < 10; i++) await a.deps.registrar.at('order', 0).getList(1, 10);
    const r = await a.api('/api/domains/check?name=budget-epuise-libre.fr');
    assert.equal(r.status, 200);
    assert.equal(r.body.available, true);
    assert.equal(r.body.source, 'rdap');
    assert.equal(r.body.confirmed, false);
    await clear();
  });
});
