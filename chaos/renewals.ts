// The chaos run's year after delivery: a share of its delivered card orders renewed under the same faults (10 % errors,
// lost answers), with workers SIGKILLed the moment the sandbox receives their renewal charge or registrar renewal; some
// cards declined and their links paid. Then the books: no renewal charged twice, no domain renewed twice or unpaid,
// every renewal invoiced.
import { sql } from 'kysely';
import type { System } from '../src/system.ts';
import { moveExpiry } from '../src/workflow/renewals/clock.ts';
import { runRenewalScan } from '../src/workflow/renewals/scan.ts';
import { sleep } from './http.ts';
import type { Row } from './verify.ts';

/** Stripe's test card that attaches but whose charges fail (docs.stripe.com/testing). */
const DECLINING_CARD = '4000000000000341';

export interface RenewalPhase {
  orderIds: string[];
  declined: number;
  /** the registrar's renewals made before the phase, by domain (earlier ones are not this phase's) */
  renewedBefore: Map<string, number>;
}

/**
 * Moves `share` of the delivered Stripe orders (their card saved) to 29 days before expiry, one in three (the first) with a card
 * that declines, runs the scan and pays the links the declined ones are sent, until every one is renewed or `timeoutMs`.
 */
export async function renewSome(system: System, share: number, rand: () => number, timeoutMs: number, say: (l: string) => void): Promise<RenewalPhase> {
  const world = system.sandbox!;
  const candidates = await system.db
    .selectFrom('renewals as r')
    .innerJoin('orders as o', 'o.id', 'r.order_id')
    .select(['r.order_id', 'r.payment_method_ref', 'o.domain'])
    .where('o.state', '=', 'delivered')
    .where('r.state', '=', 'scheduled')
    .where('r.payment_method_ref', 'is not', null)
    .execute();
  const chosen = candidates.filter(() => rand() < share);
  const renewedBefore = new Map<string, number>();
  for (const r of world.namecheap.account.renewals) renewedBefore.set(r.domain, (renewedBefore.get(r.domain) ?? 0) + 1);
  let declined = 0;
  for (const [i, c] of chosen.entries()) {
    if (i % 3 === 0) {
      world.stripe.vault.swapCard(c.payment_method_ref!, DECLINING_CARD);
      declined++;
    }
    await moveExpiry(system.deps, world.registry, c.order_id, 29);
  }
  say(`renewals: ${chosen.length} delivered orders moved to 29 days before expiry (${declined} with a declining card)`);
  const ids = chosen.map((c) => c.order_id);
  if (!ids.length) return { orderIds: ids, declined, renewedBefore };
  const paid = new Set<string>();
  const until = Date.now() + timeoutMs;
  let scans = 0;
  while (Date.now() < until) {
    // the scan runs again as its recurring job would: nothing it does may happen twice
    if (scans++ % 4 === 0) await runRenewalScan(system.deps).catch(() => undefined);
    const attempts = await system.db
      .selectFrom('renewal_attempts')
      .selectAll()
      .where('order_id', 'in', ids)
      .execute()
      .catch(() => []);
    for (const a of attempts) {
      // the customer pays the link the dunning email brought
      if (a.state === 'declined' && a.link_ref && !paid.has(a.link_ref)) {
        paid.add(a.link_ref);
        try {
          world.stripe.pay(a.link_ref);
        } catch {
          paid.delete(a.link_ref);
        }
      }
    }
    if (attempts.length === ids.length && attempts.every((a) => a.state === 'renewed')) break;
    await sleep(300);
  }
  // and every email they caused sent (the books compare what the SMTP server received with the timelines)
  while (Date.now() < until) {
    const unsent = await system.db
      .selectFrom('outbox_emails')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('order_id', 'in', ids)
      .where('state', '<>', 'sent')
      .executeTakeFirst()
      .catch(() => undefined);
    if (unsent && Number(unsent.n) === 0) break;
    await sleep(300);
  }
  return { orderIds: ids, declined, renewedBefore };
}

/** The books of the phase, from our tables checked against the sandbox providers' own records. */
export async function verifyRenewals(system: System, phase: RenewalPhase): Promise<Row[]> {
  const world = system.sandbox!;
  const ids = phase.orderIds;
  const attempts = ids.length ? await system.db.selectFrom('renewal_attempts').selectAll().where('order_id', 'in', ids).execute() : [];
  const orders = ids.length ? await system.db.selectFrom('orders').select(['id', 'domain']).where('id', 'in', ids).execute() : [];
  const domainOf = new Map(orders.map((o) => [o.id, o.domain]));
  // Stripe's record: every successful payment of a renewal attempt (off-session PaymentIntents and paid links), less refunds
  const kept = new Map<string, number>();
  const refunded = new Set(
    world.stripe
      .events()
      .filter((e) => e.event.type === 'charge.refunded')
      .map((e) => (e.event.data.object as { payment_intent: string }).payment_intent),
  );
  for (const e of world.stripe.events()) {
    const o = e.event.data.object as { id: string; metadata?: Record<string, string>; payment_intent?: string; payment_status?: string };
    const attempt = o.metadata?.renewalAttempt;
    if (!attempt) continue;
    // a link's money: its session completed paid (a card), or a delayed debit's arrival
    const linkPaid =
      (e.event.type === 'checkout.session.completed' && o.payment_status === 'paid') || e.event.type === 'checkout.session.async_payment_succeeded';
    const pi = e.event.type === 'payment_intent.succeeded' ? o.id : linkPaid ? o.payment_intent : undefined;
    if (!pi || refunded.has(pi)) continue;
    kept.set(attempt, (kept.get(attempt) ?? 0) + 1);
  }
  const twice = [...kept].filter(([, n]) => n > 1).map(([a, n]) => `attempt ${a}: ${n} payments kept`);
  const renewedNow = (domain: string) => world.namecheap.account.renewals.filter((r) => r.domain === domain).length - (phase.renewedBefore.get(domain) ?? 0);
  const doubleRenewals = ids.filter((id) => renewedNow(domainOf.get(id)!) > 1).map((id) => `${domainOf.get(id)}: ${renewedNow(domainOf.get(id)!)} renewals`);
  const unpaid = ids
    .filter((id) => renewedNow(domainOf.get(id)!) > 0)
    .filter((id) => !attempts.some((a) => a.order_id === id && a.payment_ref && (a.state === 'paid' || a.state === 'renewed')))
    .map((id) => `${domainOf.get(id)} renewed without a paid attempt`);
  const notRenewed = ids
    .filter((id) => !attempts.some((a) => a.order_id === id && a.state === 'renewed'))
    .map((id) => `${domainOf.get(id)}: ${attempts.find((a) => a.order_id === id)?.state ?? 'no attempt'}`);
  const refs = attempts.filter((a) => a.payment_ref).map((a) => a.payment_ref!);
  const { rows } = refs.length
    ? await sql<{ payment_ref: string }>`select payment_ref from invoices where kind = 'invoice' and payment_ref = any(${refs})`.execute(system.db)
    : { rows: [] };
  const missing = refs.filter((r) => !rows.some((x) => x.payment_ref === r));
  const invoiced: Row = {
    check: 'renewals invoiced',
    value: `${refs.length - missing.length}/${refs.length}`,
    expected: 'every one',
    ok: missing.length === 0,
    detail: missing,
  };
  return [
    {
      check: 'renewals renewed',
      value: `${ids.length - notRenewed.length}/${ids.length} (${phase.declined} declined, paid by link)`,
      expected: 'every one',
      ok: notRenewed.length === 0,
      detail: notRenewed,
    },
    { check: 'renewals charged twice', value: String(twice.length), expected: '0', ok: twice.length === 0, detail: twice },
    { check: 'domains renewed twice', value: String(doubleRenewals.length), expected: '0', ok: doubleRenewals.length === 0, detail: doubleRenewals },
    { check: 'domains renewed unpaid', value: String(unpaid.length), expected: '0', ok: unpaid.length === 0, detail: unpaid },
    invoiced,
  ];
}
