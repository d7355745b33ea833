// Simulated customers: each asks for a site, pays (sometimes twice), picks another name when theirs was taken at purchase time, as a person would through the public API and the payment pages.
import crypto from 'node:crypto';
import http from 'node:http';
import { domainToASCII } from 'node:url';
import type { System } from '../src/system.ts';
import type { PaymentProviderName } from '../src/providers/payments/index.ts';
import { WORKING_STATES, isFinal, type OrderState } from '../src/domain/order-state.ts';
import { addressOf, persist, sleep, type Answer } from './http.ts';

export interface Plan {
  n: number;
  tier: 'express' | 'standard';
  provider: PaymentProviderName;
  locale: 'fr' | 'en';
  businessName: string;
  city: string;
  email: string;
  /** the name as the DNS and the registry write it (punycode for an IDN) */
  domain: string;
  /** the name as the customer types it (accents and all) */
  typed: string;
  /** the domain's holder the order is placed with */
  holder: Record<string, string>;
  /** someone else registers the name between our quote and our purchase; the customer picks an alternative */
  takenAtPurchase: boolean;
  /** the customer also pays a second checkout for the same order (an older link they kept): it must be refunded */
  secondPayment: boolean;
  /** the pay button submitted twice */
  doubleClick: boolean;
  /** the operator refunds the order while the pipeline works on it */
  operatorRefund: boolean;
  /** the registry re-prices the name as premium while the customer pays: the purchase cannot go through, the order is refunded */
  repricedAtPurchase: boolean;
  /**
   * Stripe only: paid by SEPA Debit, whose outcome the bank gives later (the sandbox's test IBANs); a failed one sends
   * the customer a fresh link, which they pay by card
   */
  delayedPayment?: 'succeeded' | 'failed';
}

export interface CustomerRun {
  plan: Plan;
  from: string;
  orderId?: string;
  token?: string;
  paymentRef?: string;
  /** what went wrong on the customer's side (an intake that never succeeded, a page that never loaded) */
  problems: string[];
  /** the alternative the customer chose */
  chose?: string;
  /** transient failures the customer saw and retried through (5xx, 429, cut connections) */
  retried: number;
  /** the operator's refund: accepted, or refused because the order was already final or being refunded for its own reasons */
  operatorRefund?: 'accepted' | 'already_stopped';
  done: boolean;
}

const TLDS = ['fr', 'com', 'fr', 'net', 'org', 'eu', 'fr', 'com'];

/** A person in France: every TLD in the mix takes them (.fr with their birth date and place, .eu as an EU resident). */
const PERSON = {
  type: 'individual',
  firstName: 'Camille',
  lastName: 'Client',
  birthDate: '1984-05-17',
  birthPlace: '69003 Lyon',
  address1: '12 rue des Lilas',
  postalCode: '69003',
  country: 'FR',
  phone: '+33.612345678',
};
/** A French company, identified to AFNIC by its SIRET (Luhn key valid). */
const COMPANY = {
  type: 'organization',
  firstName: 'Marie',
  lastName: 'Gérante',
  companyId: '55210055400013',
  address1: '4 place Bellecour',
  postalCode: '69002',
  country: 'FR',
  phone: '+33.478000000',
};
const CITIES = ['Lyon', 'Nantes', 'Lille', 'Rennes', 'Dijon', 'Nancy', 'Brest', 'Tours'];
const TRADES = ['Atelier', 'Boulangerie', 'Garage', 'Fleuriste', 'Librairie', 'Épicerie', 'Studio', 'Cave'];

/**
 * A reproducible mix of orders: express/standard, Stripe/PayPal, fr/en, a few taken at purchase time, paid twice,
 * double-clicked, refunded by the operator; held by a person or (one in eight, .fr) a French company; one in twelve an
 * accented name (an IDN).
 */
export function plans(count: number, runId: string, rand: () => number): Plan[] {
  const out: Plan[] = [];
  for (let n = 0; n < count; n++) {
    const trade = TRADES[n % TRADES.length]!;
    const city = CITIES[Math.floor(rand() * CITIES.length)]!;
    const idn = n % 12 === 5;
    const plain = trade.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    const label = `${idn ? trade.toLowerCase() : plain}-${runId}-${n}`;
    const typed = `${label}.${TLDS[n % TLDS.length]}`;
    out.push({
      n,
      tier: n % 3 === 0 ? 'express' : 'standard',
      provider: n % 2 === 0 ? 'stripe' : 'paypal',
      locale: n % 4 === 1 ? 'en' : 'fr',
      businessName: `${trade} ${runId.toUpperCase()} ${n}`,
      city,
      email: `client-${runId}-${n}@example.org`,
      domain: domainToASCII(typed),
      typed,
      holder: n % 8 === 2 ? { ...COMPANY, organization: `${trade} ${runId.toUpperCase()} ${n} SARL`, city } : { ...PERSON, city },
      takenAtPurchase: n % 9 === 4,
      secondPayment: n % 11 === 6,
      doubleClick: n % 5 === 2,
      operatorRefund: n % 17 === 9,
      // a permanent failure, certain: one order in the quick run, several in the full one
      repricedAtPurchase: n % 13 === 7,
      // a share of the Stripe orders (even n) pay by direct debit: most go through, some are refused by the bank
      delayedPayment: n % 12 === 10 ? 'failed' : n % 6 === 2 ? 'succeeded' : undefined,
    });
  }
  return out;
}

export interface CustomerWorld {
  sys: System;
  adminToken: string;
  /** lines for the run's log file */
  trace: (line: string) => void;
  rand: () => number;
}

/** One customer, from the request to the last thing they do (the pipeline then runs without them). */
export async function runCustomer(w: CustomerWorld, plan: Plan): Promise<CustomerRun> {
  const run: CustomerRun = { plan, from: addressOf(plan.n), problems: [], retried: 0, done: false };
  const base = w.sys.url!;
  const note = (a: Answer | Error) => {
    run.retried++;
    w.trace(`#${plan.n} retry: ${a instanceof Error ? a.message : `${a.status} ${a.json?.code ?? ''}`}`);
  };
  try {
    // 1. the request, with an Idempotency-Key so that a retry after a cut connection cannot make a second order
    const key = `chaos-${plan.n}-${crypto.randomBytes(6).toString('hex')}`;
    const body = {
      businessName: plan.businessName,
      acceptTerms: true,
      earlyStart: true,
      email: plan.email,
      domain: plan.typed,
      tier: plan.tier,
      locale: plan.locale,
      city: plan.city,
      paymentProvider: plan.provider,
      holder: plan.holder,
    };
    const created = await persist(`${base}/api/request-concierge-service`, { body, headers: { 'idempotency-key': key }, from: run.from, note });
    if (created.status !== 201) {
      run.problems.push(`request answered ${created.status} ${created.json?.code ?? created.text.slice(0, 80)}`);
      return run;
    }
    run.orderId = created.json.orderId;
    run.token = created.json.trackingToken;
    w.trace(`#${plan.n} order ${run.orderId} ${plan.domain} ${plan.provider} ${plan.tier}`);

    // 2. the link in the email: /pay/{token} leads to the provider's page once the link exists
    const page = await paymentPage(base, run, note);
    if (!page) return run;

    // 3. someone else buys the name while the customer is paying, or the registry re-prices it
    if (plan.takenAtPurchase) w.sys.sandbox!.registry.register(plan.domain, 1);
    if (plan.repricedAtPurchase) w.sys.sandbox!.registry.reprice(plan.domain);

    // 4. pay (twice when the button is double-clicked)
    const clicks = plan.doubleClick ? 2 : 1;
    await Promise.all(Array.from({ length: clicks }, () => pay(base, run, page, note)));

    // 4b. the bank refused the direct debit: the fresh link (emailed) is paid by card
    if (plan.delayedPayment === 'failed') {
      const fresh = await paymentPage(base, run, note, page.ref);
      if (fresh) await pay(base, run, fresh, note, 'card');
    }

    // 5. an older checkout for the same order, paid too
    if (plan.secondPayment) await paySecondCheckout(w, run, note);

    // 6. the operator stops the order while it runs
    if (plan.operatorRefund) await operatorRefund(w, run, note);

    // 7. the name was taken at purchase time: the customer picks the first name offered
    if (plan.takenAtPurchase) await chooseAlternative(w, run, note);
  } catch (err) {
    run.problems.push(`customer flow failed: ${(err as Error).message}`);
  } finally {
    run.done = true;
  }
  return run;
}

interface PaymentPage {
  provider: PaymentProviderName;
  ref: string;
  url: string;
}

/** The page /pay/{token} leads to; with `other`, the first one that is not that session (a fresh link). */
async function paymentPage(base: string, run: CustomerRun, note: (a: Answer | Error) => void, other?: string): Promise<PaymentPage | undefined> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    const r = await persist(`${base}/pay/${run.token}`, { from: run.from, note });
    const location = String(r.headers.location ?? '');
    const stripe = /\/c\/pay\/([^/?#]+)/.exec(location);
    if (r.status === 303 && stripe && stripe[1] !== other) return { provider: 'stripe', ref: stripe[1]!, url: location };
    const paypal = /\/checkoutnow\?token=([^&]+)/.exec(location);
    if (r.status === 303 && paypal) return { provider: 'paypal', ref: paypal[1]!, url: location };
    // "payment unavailable for now" (the provider failed): look again in a moment
    await sleep(500);
  }
  run.problems.push('the payment page never became available');
  return undefined;
}

/** Stripe's SEPA Debit test IBANs (docs/sandbox.md): the first succeeds, the second fails, each after the bank's delay. */
const IBANS = { succeeded: 'DE89370400440532013000', failed: 'DE62370400440532013001' };

async function pay(base: string, run: CustomerRun, page: PaymentPage, note: (a: Answer | Error) => void, by?: 'card'): Promise<void> {
  const pageUrl = new URL(page.url);
  let back: string | undefined;
  if (page.provider === 'stripe') {
    const debit = by !== 'card' ? run.plan.delayedPayment : undefined;
    const r = await persist(`${pageUrl.origin}/c/pay/${page.ref}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: debit ? `method=sepa_debit&iban=${IBANS[debit]}` : 'card_number=4242+4242+4242+4242',
      note,
    });
    if (r.status === 303) back = String(r.headers.location);
    else if (r.status !== 200) run.problems.push(`stripe page answered ${r.status}`);
  } else {
    const r = await persist(`${pageUrl.origin}/checkoutnow/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(page.ref)}`,
      note,
    });
    if (r.status === 303) back = String(r.headers.location);
    else run.problems.push(`paypal page answered ${r.status}`);
  }
  // the browser comes back to our return page (for PayPal, that starts the capture)
  if (back?.startsWith(base)) await persist(back, { from: run.from, note, untilMs: 30_000 }).catch(() => undefined);
}

/** A second checkout for the same order, made through the provider adapter as an older link would have been, and paid. */
async function paySecondCheckout(w: CustomerWorld, run: CustomerRun, note: (a: Answer | Error) => void): Promise<void> {
  const { deps, db } = w.sys;
  const orderId = run.orderId!;
  const order = await retrying(() => db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow());
  const provider = deps.payments[order.payment_provider];
  const link = await retrying(() =>
    provider.createPaymentLink({
      orderId,
      amountCents: order.total_cents,
      currency: order.currency,
      description: 'second checkout',
      customerEmail: order.email,
      locale: order.locale,
      successUrl: `${w.sys.url}/payment/return?order=${order.tracking_token}`,
      cancelUrl: `${w.sys.url}/payment/cancel?order=${order.tracking_token}`,
      expiresAt: new Date(Date.now() + 3_600_000),
      idempotencyKey: `chaos-second:${orderId}`,
    }),
  );
  await retrying(() =>
    db
      .insertInto('payment_links')
      .values({
        id: crypto.randomUUID(),
        order_id: orderId,
        seq: 99,
        provider: order.payment_provider,
        provider_ref: link.providerRef,
        url: link.url,
        amount_cents: order.total_cents,
        currency: order.currency,
        expires_at: link.expiresAt,
        state: 'superseded',
      })
      .onConflict((oc) => oc.columns(['order_id', 'seq']).doNothing())
      .execute(),
  );
  await pay(w.sys.url!, run, { provider: order.payment_provider, ref: link.providerRef, url: link.url }, note);
  w.trace(`#${run.plan.n} second checkout ${link.providerRef} paid`);
}

/**
 * The operator refunds the order once the pipeline works on it (before, there is nothing to refund: 409). A refusal is a
 * problem unless the order was final by then (delivered between the operator's look and the click) or already being refunded.
 */
async function operatorRefund(w: CustomerWorld, run: CustomerRun, note: (a: Answer | Error) => void): Promise<void> {
  const base = w.sys.url!;
  const headers = { authorization: `Bearer ${w.adminToken}` };
  const state = async () => (await persist(`${base}/api/concierge/status/${run.token}`, { from: run.from, note })).json?.state as string | undefined;
  const until = Date.now() + 180_000;
  while (!WORKING_STATES.includes((await state()) as OrderState)) {
    if (Date.now() > until) return void run.problems.push('the order never reached the pipeline, so the operator could not refund it');
    await sleep(150);
  }
  await sleep(w.rand() * 1_500);
  const r = await persist(`${base}/api/admin/orders/${run.orderId}/refund`, { method: 'POST', headers, note });
  const after = await state();
  w.trace(`#${run.plan.n} operator refund: ${r.status} (order ${after})`);
  if (r.status === 200) run.operatorRefund = 'accepted';
  else if (r.status === 409 && after && (isFinal(after as OrderState) || after === 'refunding')) run.operatorRefund = 'already_stopped';
  else run.problems.push(`operator refund answered ${r.status} ${r.json?.code ?? ''} while the order was ${after}`);
}

async function chooseAlternative(w: CustomerWorld, run: CustomerRun, note: (a: Answer | Error) => void): Promise<void> {
  const base = w.sys.url!;
  const until = Date.now() + 240_000;
  while (Date.now() < until) {
    const s = await persist(`${base}/api/concierge/status/${run.token}`, { from: run.from, note });
    if (s.status === 200 && s.json.state === 'domain_unavailable' && s.json.alternatives?.length) {
      const choice = s.json.alternatives[0].domain as string;
      const r = await persist(`${base}/api/concierge/status/${run.token}/domain`, { body: { domain: choice }, from: run.from, note });
      w.trace(`#${run.plan.n} chose ${choice}: ${r.status}`);
      if (r.status === 200) run.chose = choice;
      else if (r.status !== 409) run.problems.push(`choosing ${choice} answered ${r.status} ${r.json?.code ?? ''}`);
      return;
    }
    // refunded (no alternative could be offered, or the operator refunded it) or already moved on
    if (s.status === 200 && (s.json.final || s.json.state === 'refunding')) return;
    await sleep(400);
  }
  run.problems.push('the order never offered other names');
}

/** Retry a direct call (database, provider adapter) through PostgreSQL restarts and provider faults. */
export async function retrying<T>(fn: () => Promise<T>, untilMs = 60_000): Promise<T> {
  const until = Date.now() + untilMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > until) throw err;
      await sleep(300);
    }
  }
}

/** A live view kept open for the whole run (through the PostgreSQL restart): it must see the order's final state. */
export class LiveView {
  final?: string;
  statuses = 0;
  reconnects = 0;
  private req?: http.ClientRequest;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly from: string,
  ) {}

  open(): void {
    if (this.closed) return;
    let raw = '';
    this.req = http.get(this.url, { localAddress: this.from, agent: false }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        let i;
        while ((i = raw.indexOf('\n\n')) >= 0) {
          const block = raw.slice(0, i);
          raw = raw.slice(i + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (!block.includes('event: status') || !data) continue;
          this.statuses++;
          const status = JSON.parse(data) as { state: string; final: boolean };
          if (status.final) this.final = status.state;
        }
      });
      res.on('end', () => this.again());
      res.on('error', () => this.again());
    });
    this.req.on('error', () => this.again());
  }

  /** as EventSource does: reconnect after the stream ends (the server's `retry: 2000`) */
  private again(): void {
    if (this.closed || this.final) return;
    this.reconnects++;
    setTimeout(() => this.open(), 2_000);
  }

  close(): void {
    this.closed = true;
    this.req?.destroy();
  }
}
