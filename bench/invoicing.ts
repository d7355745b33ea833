// i) Invoicing: 1,000 payments recorded at once, each issuing its invoice in its own transaction (the counter row
// serialises the numbering), against the same 1,000 payments recorded without their invoice (BENCH_SKIP_INVOICES), in
// the same run, interleaved.
import { sql } from 'kysely';
import type { Deps } from '../src/deps.ts';
import { createDatabase } from '../src/db/database.ts';
import { markPaid } from '../src/workflow/payment-events.ts';
import { defaults, table, type Benchmark } from './lib/bench.ts';
import { silentLog } from './lib/scenario.ts';
import { fmt, ms, summary } from './lib/stats.ts';

interface Round {
  invoices: boolean;
  wallMs: number;
  latencies: number[];
  issued: number;
  gaps: number;
}

async function round(ctx: Parameters<Benchmark['run']>[0], n: number, invoices: boolean, i: number, pool: number): Promise<Round> {
  const url = await ctx.pg.newDatabase(`bench_invoicing_${i}`);
  const { db, pool: pg } = createDatabase(url, pool);
  try {
    // n orders awaiting payment, each with its open Stripe link (what intake leaves)
    await sql`insert into orders (id, tracking_token, business_name, email, locale, domain, domain_unicode, tier, state, currency, price_items,
        total_cents, payment_provider, deadline_hours)
      select gen_random_uuid(), 'tok-' || g, 'Atelier ' || g, 'c' || g || '@example.org', 'fr', 'bench-' || g || '.fr', 'bench-' || g || '.fr', 'standard',
        'awaiting_payment', 'EUR', '[{"code":"domain_first_year","amountCents":1200},{"code":"service","amountCents":14900}]', 16100, 'stripe', 24
      from generate_series(1, ${n}) g`.execute(db);
    await sql`insert into payment_links (id, order_id, seq, provider, provider_ref, url, amount_cents, currency, expires_at, state)
      select gen_random_uuid(), id, 1, 'stripe', 'cs_' || id, 'https://example.invalid', 16100, 'EUR', now() + interval '1 hour', 'open' from orders`.execute(
      db,
    );
    const links = await db.selectFrom('payment_links').selectAll().execute();
    const deps = { config: { ...defaults, BENCH_SKIP_INVOICES: !invoices }, db, log: silentLog } as unknown as Deps;
    const latencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      links.map(async (l) => {
        const t = performance.now();
        const outcome = await markPaid(deps, l, { paymentRef: `pi_${l.order_id}`, amountCents: 16100, currency: 'EUR' });
        if (outcome !== 'paid') throw new Error(`payment ${l.order_id}: ${outcome}`);
        latencies.push(performance.now() - t);
      }),
    );
    const wallMs = performance.now() - t0;
    const seqs = (await db.selectFrom('invoices').select('seq').where('kind', '=', 'invoice').orderBy('seq').execute()).map((r) => Number(r.seq));
    const gaps = seqs.filter((s, k) => s !== k + 1).length;
    return { invoices, wallMs, latencies, issued: seqs.length, gaps };
  } finally {
    await db.destroy();
    await pg.end().catch(() => {});
  }
}

export const invoicingBench: Benchmark = {
  name: 'invoicing',
  key: 'j',
  title: 'j) Invoicing — 1,000 payments at once, each with its numbered invoice, against the same payments without it',
  rerun: 'npm run bench -- invoicing   (--set invoicing.payments=1000 --set invoicing.rounds=2)',
  async run(ctx) {
    const n = ctx.size('invoicing.payments');
    const rounds = ctx.size('invoicing.rounds');
    const pool = 20;
    const results: Round[] = [];
    // interleaved, so a busy moment of a shared machine falls on both
    for (let r = 0; r < rounds; r++) {
      for (const invoices of [false, true]) {
        ctx.log(`invoicing: round ${r + 1}, ${invoices ? 'with' : 'without'} invoices`);
        results.push(await round(ctx, n, invoices, results.length, pool));
      }
    }
    const best = (inv: boolean) => results.filter((x) => x.invoices === inv).sort((a, b) => a.wallMs - b.wallMs)[0]!;
    const withInv = best(true);
    const without = best(false);
    const lat = (x: Round) => summary(x.latencies);
    const perPayment = (x: Round) => x.wallMs / n;
    return {
      ran: `${n} payments at once (markPaid, ${pool} PostgreSQL connections), ${rounds} rounds of each, interleaved; the fastest round of each shown`,
      lines: [
        ...table(
          ['', 'payments/s', 'invoices/s', 'wall per payment', 'latency p50', 'latency p99', 'gaps'],
          [
            ['without invoices (reference)', fmt(n / (without.wallMs / 1000)), '—', ms(perPayment(without)), ms(lat(without).p50), ms(lat(without).p99), '—'],
            [
              'with invoices',
              fmt(n / (withInv.wallMs / 1000)),
              fmt(withInv.issued / (withInv.wallMs / 1000)),
              ms(perPayment(withInv)),
              ms(lat(withInv).p50),
              ms(lat(withInv).p99),
              String(withInv.gaps),
            ],
          ],
        ),
        '',
        `- numbering and invoice cost per payment: ${ms(perPayment(withInv) - perPayment(without))} of wall time (×${fmt(withInv.wallMs / without.wallMs)}); ${withInv.issued}/${n} invoices, numbers 1–${withInv.issued} with ${withInv.gaps} gaps.`,
        `- every round: ${results.map((x) => `${x.invoices ? 'with' : 'without'} ${fmt(x.wallMs / 1000)} s`).join(', ')}.`,
      ],
      limits: [
        "The counter row is locked from the invoice's number to its transaction's commit, so invoiced payments commit one after another: the invoice is the last statement of the payment's transaction to keep that window to one commit. Its PDF is not made here (the low-priority render_document job renders it once and queues its email).",
        `The payment transaction also writes the order, its events, its first step's job and the render_document job of its PDF; PostgreSQL with fsync on, ${pool} connections, ${defaults.WORKER_CONCURRENCY} being the workers' concurrency elsewhere.`,
      ],
    };
  },
};
