// The end of a chaos run: what the database says, checked against what the sandbox providers themselves recorded (registrations, charges, refunds, emails).
import type { System } from '../src/system.ts';
import { pipeline } from '../src/workflow/pipeline.ts';
import type { StoredMessage } from '../src/sandbox/smtp/server.ts';
import type { CustomerRun } from './customers.ts';
import type { AlertNotice } from './alert-receiver.ts';
import type { Deadlines } from './cluster.ts';
import { orderOfSite, readBooks } from './books.ts';

export interface Row {
  check: string;
  value: string;
  expected: string;
  ok: boolean;
  /** the orders or objects behind a failure, for the log */
  detail?: string[];
}

export interface Verdict {
  rows: Row[];
  counts: {
    orders: number;
    delivered: number;
    refunded: number;
    /** of the refunded, those the run made certain (name re-priced at purchase, operator refund) */
    certainRefunds: number;
    /** delivered ÷ the paid orders not made certain to be refunded */
    deliveredShare: number;
    stuck: number;
    doublePurchases: number;
    doubleCharges: number;
    doubleRefunds: number;
    doubleSites: number;
    doubleEmails: number;
    resentEmails: number;
    lostEvents: number;
    atRisk: number;
    missedDeadlines: number;
    notAlerted: number;
    kills: number;
    targetedPurchases: number;
    targetedRefunds: number;
    postgresRestarts: number;
    lostAnswers: number;
    wallSeconds: number;
    /** the quick run's bound when it went over it, else 0 */
    overTime: number;
  };
  pass: boolean;
}

export interface RunFacts {
  runId: string;
  runs: CustomerRun[];
  kills: number;
  /** the kills made the moment the sandbox received a purchase or a refund from the victim */
  targetedKills: TargetedKill[];
  postgresRestarts: number;
  /** answers the sandbox lost after doing the work, by "server operation" */
  lostAnswers: Record<string, number>;
  /** what the operators' alert webhook received */
  alertNotices: AlertNotice[];
  deadlines: Deadlines;
  /** how long an order may be past 75 % of its deadline (or past it) before its alert must exist */
  alertGraceSeconds: number;
  /** orders of the calm tail (no kills, no restarts, DNS slow to propagate): each must need, and have, its alert */
  calmTailOrders: number;
  /** their ids, and how long their DNS takes on purpose: a wait the silence check allows them */
  calmTail: { orderIds: string[]; propagationSeconds: number };
  /** [from, to] epoch ms when the alert rules may not have run (a worker just killed, PostgreSQL restarting) */
  disruptions: [number, number][];
  wallSeconds: number;
  /** --quick: the issue's bound on the whole run */
  quickLimitSeconds?: number;
  replays: { stripeSent: number; stripeDuplicate: number; stripeUnexpected: string[]; staleSent: number; staleRefused: number; paypalResent: number };
  liveViews: { wanted: number; opened: number; sawFinal: number };
  /** of the paid orders not made certain to be refunded, the share that must be delivered */
  minDeliveredShare: number;
  /** a wall-clock time as the run's trace writes it (seconds since the start) */
  clock: (iso: string) => string;
  /** seconds each order took to move again after a kill or the PostgreSQL restart: the longest silence in its timeline */
  stallLimitSeconds: number;
}

export interface TargetedKill {
  /** a first purchase or refund; a renewal's off-session charge or registrar renewal (chaos/renewals.ts) */
  kind: 'purchase' | 'refund' | 'renewalCharge' | 'renewal';
  /** "<server> <operation>" as the sandbox received it */
  call: string;
}

const ONCE_PER_ORDER = new Set(['confirmation', 'progress', 'delivered', 'refunded']);
const normId = (id: string) => id.trim().replace(/^<|>$/g, '').toLowerCase();

/**
 * What a customer email is for, read from its subject as received (src/emails/*: French and English), so that the
 * checks do not take the outbox's word for it. Unknown subjects are their own purpose.
 */
const SUBJECTS: [string, RegExp][] = [
  ['confirmation', /^(Demande reçue|Request received)\s*:/],
  ['progress', /(domaine acheté, hébergement prêt|domain registered, hosting ready)$/],
  ['delivered', /(est en ligne\s*!|is live!)$/],
  ['refunded', /^(Commande remboursée|Order refunded)\s*:/],
  ['domain_taken', /(n’est plus disponible|is no longer available)$/],
];
function purposeOf(subject: string): { kind: string; key: string } {
  const kind = SUBJECTS.find(([, re]) => re.test(subject))?.[0];
  // once per order whatever the domain then; a name taken once per name; anything else by its subject
  return kind && ONCE_PER_ORDER.has(kind) ? { kind, key: kind } : { kind: kind ?? 'other', key: subject };
}

export async function verify(sys: System, facts: RunFacts): Promise<Verdict> {
  const { db } = sys;
  const world = sys.sandbox!;
  const ids = facts.runs.map((r) => r.orderId).filter((x): x is string => !!x);
  const orders = ids.length ? await db.selectFrom('orders').selectAll().where('id', 'in', ids).execute() : [];
  const events = ids.length
    ? await db.selectFrom('order_events').select(['order_id', 'type', 'data', 'at']).where('order_id', 'in', ids).orderBy('id').execute()
    : [];
  const eventsOf = new Map<string, typeof events>();
  for (const e of events) (eventsOf.get(e.order_id) ?? eventsOf.set(e.order_id, []).get(e.order_id)!).push(e);
  const count = (orderId: string, type: string, match: (d: Record<string, unknown>) => boolean = () => true) =>
    (eventsOf.get(orderId) ?? []).filter((e) => e.type === type && match(e.data)).length;

  const rows: Row[] = [];
  const row = (check: string, bad: string[], expected = '0', value?: string) =>
    rows.push({ check, value: value ?? String(bad.length), expected, ok: bad.length === 0, detail: bad.length ? bad : undefined });

  // ---- outcomes ----
  const customerProblems = facts.runs.flatMap((r) => r.problems.map((p) => `#${r.plan.n}: ${p}`));
  row('customers who could not complete their part', customerProblems);
  const paid = orders.filter((o) => o.paid_at);
  const delivered = orders.filter((o) => o.state === 'delivered');
  const refunded = orders.filter((o) => o.state === 'refunded');
  const stuck = paid.filter((o) => o.state !== 'delivered' && o.state !== 'refunded');
  rows.push({ check: 'orders created', value: String(orders.length), expected: String(facts.runs.length), ok: orders.length === facts.runs.length });
  rows.push({ check: 'orders paid', value: String(paid.length), expected: String(orders.length), ok: paid.length === orders.length });
  rows.push({ check: 'paid orders delivered', value: String(delivered.length), expected: '—', ok: true });
  const reasons = new Map<string, number>();
  for (const o of refunded) reasons.set(o.failure_code ?? '?', (reasons.get(o.failure_code ?? '?') ?? 0) + 1);
  rows.push({ check: 'paid orders refunded', value: String(refunded.length), expected: '—', ok: true, detail: [...reasons].map(([r, n]) => `${r} ×${n}`) });
  row(
    'paid orders stuck (neither delivered nor refunded)',
    stuck.map((o) => `${o.id} ${o.domain} ${o.state} at ${o.current_step ?? '-'}`),
  );

  // ---- registrations: what the sandbox registrar sold to our account ----
  // the run's world is its own: every registration of our account belongs to one of its orders, whatever its name (an
  // alternative the customer picked is the label without its hyphens)
  const ours = world.registry.all().filter((r) => r.owner === sys.sandboxEndpoints!.credentials.namecheapApiUser);
  const byRegistration = new Map(orders.filter((o) => o.registrar_domain_id).map((o) => [`${o.domain}#${o.registrar_domain_id}`, o]));
  const orphanPurchases = ours
    .filter((r) => !byRegistration.has(`${r.domain}#${r.domainId}`))
    .map((r) => `${r.domain} (${r.domainId}) bought but held by no order`);
  const missingPurchases = delivered
    .filter((o) => !ours.some((r) => r.domain === o.domain && String(r.domainId) === o.registrar_domain_id))
    .map((o) => `${o.domain}: delivered without its registration`);
  const books = readBooks(world, orders);
  row(`domains bought for no order (the account's ${ours.length} registrations against the orders holding them)`, orphanPurchases);
  row(
    `purchase requests for a name after our account bought it, in the registrar's books (${books.purchaseRequests} requests; a refused one is a double caught)`,
    books.purchasedTwice,
  );
  rows.push({
    check: 'names registered twice (the registry holds one registration per name: a zero the provider enforces)',
    value: '0',
    expected: '0 (provider)',
    ok: true,
  });
  const keptForRefunded = refunded.filter((o) => ours.some((r) => r.domain === o.domain && String(r.domainId) === o.registrar_domain_id)).length;
  rows.push({ check: 'domains bought for orders then refunded (kept on record)', value: String(keptForRefunded), expected: '—', ok: true });
  row('delivered orders without their registration', missingPurchases);
  // the customer is the registrant: every registration names the order's holder, with the TLD's attributes (.fr, .eu)
  // and, for an IDN, its IdnCode
  const holders = ids.length ? await db.selectFrom('order_holders').select(['order_id', 'holder']).where('order_id', 'in', ids).execute() : [];
  const holderOf = new Map(holders.map((h) => [h.order_id, h.holder as { type: string; lastName: string; organization?: string }]));
  const registered = orders.filter((o) => o.registrar_domain_id);
  const notTheHolder = registered.flatMap((o) => {
    const reg = ours.find((r) => r.domain === o.domain && String(r.domainId) === o.registrar_domain_id);
    const h = holderOf.get(o.id);
    const registrant = reg?.contacts?.Registrant;
    if (!reg || !h || !registrant) return [];
    const wrong = [
      registrant.LastName !== h.lastName && 'another registrant',
      h.organization && registrant.OrganizationName !== h.organization && 'not its organisation',
      o.domain.endsWith('.fr') && !reg.attributes?.FRLegalType && 'no .fr attributes',
      o.domain.endsWith('.eu') && reg.attributes?.EUAgreeWhoisPolicy !== 'YES' && 'no .eu attributes',
      o.domain.split('.').some((l) => l.startsWith('xn--')) && !reg.idnCode && 'an IDN without IdnCode',
    ].filter(Boolean);
    return wrong.length ? [`${o.domain}: ${wrong.join(', ')}`] : [];
  });
  row(
    'registrations not in the holder’s name, or without the TLD’s attributes or IdnCode',
    notTheHolder,
    '0',
    `${notTheHolder.length} of ${registered.length} (${registered.filter((o) => holderOf.get(o.id)?.type === 'organization').length} organisations, ${registered.filter((o) => o.domain.includes('xn--')).length} IDN)`,
  );

  // ---- money: every charge the providers took, and every refund, per order ----
  interface Charge {
    ref: string;
    refunds: number;
  }
  const charges = new Map<string, Charge[]>();
  const addCharge = (orderId: string, c: Charge) => (charges.get(orderId) ?? charges.set(orderId, []).get(orderId)!).push(c);
  const stripeRefunds = new Map<string, number>();
  for (const e of world.stripe.events()) {
    if (e.event.type !== 'charge.refunded') continue;
    const pi = String((e.event.data.object as { payment_intent?: string }).payment_intent);
    stripeRefunds.set(pi, (stripeRefunds.get(pi) ?? 0) + 1);
  }
  for (const s of world.stripe.sessions()) {
    // a complete session took money only once paid: a direct debit the bank refused took none
    if (s.status !== 'complete' || s.payment_status !== 'paid' || !s.payment_intent || !s.client_reference_id) continue;
    // a renewal's payment link: the renewals' own books (renewals.ts) check it
    if (s.metadata?.renewalAttempt) continue;
    addCharge(s.client_reference_id, { ref: s.payment_intent, refunds: stripeRefunds.get(s.payment_intent) ?? 0 });
  }
  const paypalRefunds = new Map<string, number>();
  for (const e of world.paypal.events()) {
    if (e.event.event_type !== 'PAYMENT.CAPTURE.REFUNDED') continue;
    const up = (e.event.resource as { links?: { rel: string; href: string }[] }).links?.find((l) => l.rel === 'up')?.href ?? '';
    const capture = up.split('/').pop()!;
    paypalRefunds.set(capture, (paypalRefunds.get(capture) ?? 0) + 1);
  }
  for (const o of world.paypal.orders()) {
    const unit = o.purchase_units[0];
    for (const c of unit?.payments?.captures ?? []) addCharge(unit!.custom_id ?? '', { ref: c.id, refunds: paypalRefunds.get(c.id) ?? 0 });
  }
  const doubleCharges: string[] = [];
  const doubleRefunds: string[] = [];
  const moneyWrong: string[] = [];
  for (const o of orders) {
    const mine = charges.get(o.id) ?? [];
    const kept = mine.filter((c) => c.refunds === 0);
    for (const c of mine) if (c.refunds > 1) doubleRefunds.push(`${o.id} ${c.ref} refunded ${c.refunds} times`);
    if (kept.length > 1) doubleCharges.push(`${o.id} ${o.domain}: ${kept.length} charges kept`);
    if (o.state === 'delivered' && (kept.length !== 1 || kept[0]!.ref !== o.payment_ref))
      moneyWrong.push(`${o.id} delivered, charges kept: ${kept.map((c) => c.ref).join(',') || 'none'} (order says ${o.payment_ref})`);
    if (o.state === 'refunded' && kept.length !== 0) moneyWrong.push(`${o.id} refunded but ${kept.length} charge(s) kept`);
    if (!o.paid_at && mine.length) moneyWrong.push(`${o.id} charged ${mine.length} time(s) but not paid in our records`);
  }
  // ---- a deadline starts when the money arrives (a direct debit's days after checkout), never before ----
  const succeededAt = new Map<string, number>();
  for (const s of world.stripe.sessions()) {
    const at = s.payment_intent ? world.stripe.paymentSucceededAt(s.id) : undefined;
    if (at !== undefined) succeededAt.set(String(s.payment_intent), at);
  }
  for (const { event } of world.paypal.events()) {
    const capture = event.resource as { id?: string; create_time?: string };
    // whole seconds: the capture's time rounded down, never later than the moment itself
    if (event.event_type === 'PAYMENT.CAPTURE.COMPLETED' && capture.id && capture.create_time) succeededAt.set(capture.id, Date.parse(capture.create_time));
  }
  const earlyDeadlines: string[] = [];
  for (const o of paid) {
    const at = o.payment_ref ? succeededAt.get(o.payment_ref) : undefined;
    if (at === undefined) earlyDeadlines.push(`${o.id}: paid in our records, no payment ${o.payment_ref} that succeeded in the provider's`);
    else if (o.paid_at!.getTime() < at)
      earlyDeadlines.push(`${o.id}: deadline counted from ${o.paid_at!.toISOString()}, payment succeeded at ${new Date(at).toISOString()}`);
    if (o.deadline_at?.getTime() !== o.paid_at!.getTime() + o.deadline_hours * 3_600_000)
      earlyDeadlines.push(`${o.id}: deadline_at is not paid_at + its hours`);
  }
  row("orders whose deadline started before their payment succeeded (the provider's moment)", earlyDeadlines);
  const debits = facts.runs.filter((r) => r.orderId && r.plan.delayedPayment);
  const debitWrong: string[] = [];
  for (const r of debits) {
    const o = orders.find((x) => x.id === r.orderId);
    const list = eventsOf.get(r.orderId!) ?? [];
    const processing = list.find((e) => e.type === 'payment_processing');
    const received = list.find((e) => e.type === 'payment_received');
    if (r.plan.delayedPayment === 'failed' && !list.some((e) => e.type === 'payment_failed'))
      debitWrong.push(`${r.orderId}: refused by the bank, no payment_failed`);
    if (processing && received && processing.at > received.at) debitWrong.push(`${r.orderId}: "processing" shown after the payment was received`);
    if (o && !o.paid_at && o.state !== 'cancelled') debitWrong.push(`${r.orderId}: never paid (${o.state})`);
  }
  const refusedDebits = debits.filter((r) => r.plan.delayedPayment === 'failed').length;
  rows.push({
    check: `direct debits (${debits.length - refusedDebits} that succeed, ${refusedDebits} refused then paid by card on the fresh link): shown processing first, refusals answered, all paid`,
    value: String(debitWrong.length),
    expected: '0',
    ok: debitWrong.length === 0 && debits.length > 0,
    detail: debitWrong.length ? debitWrong : undefined,
  });
  const extraPayments = orders.reduce((n, o) => n + (charges.get(o.id) ?? []).filter((c) => c.ref !== o.payment_ref).length, 0);
  row('double charges (more than one payment kept)', doubleCharges);
  row(
    `refund requests for one payment beyond the first, in Stripe's and PayPal's books (${books.refundRequests} requests; a refused one is a double caught)`,
    books.refundedTwice,
  );
  row('payments refunded twice (a fully refunded payment takes no more refund: a zero the providers enforce)', doubleRefunds, '0 (provider)');
  row('money that does not match the order', moneyWrong);
  const extraPlanned = facts.runs.some((r) => r.orderId && r.plan.secondPayment);
  rows.push({
    check: 'extra payments (double click, second checkout), refunded',
    value: String(extraPayments),
    expected: extraPlanned ? '≥ 1 (a second checkout paid)' : '—',
    ok: !extraPlanned || extraPayments >= 1,
  });

  // ---- invoices: one per captured payment kept, one credit note per refund, each series continuous ----
  const documents = await db.selectFrom('invoices').select(['kind', 'seq', 'order_id', 'payment_ref', 'total_incl_vat_cents', 'invoice_id']).execute();
  // a renewal's payment has its own invoice, checked with the renewals (chaos/renewals.ts)
  const renewalPayments = new Set(
    (await db.selectFrom('renewal_attempts').select('payment_ref').where('payment_ref', 'is not', null).execute()).map((r) => r.payment_ref),
  );
  const invoiceWrong: string[] = [];
  for (const o of orders) {
    const mine = documents.filter((d) => d.order_id === o.id && !(d.kind === 'invoice' && renewalPayments.has(d.payment_ref)));
    const invoices = mine.filter((d) => d.kind === 'invoice');
    const credits = mine.filter((d) => d.kind === 'credit_note');
    if (o.payment_ref && (invoices.length !== 1 || invoices[0]!.payment_ref !== o.payment_ref || Number(invoices[0]!.total_incl_vat_cents) !== o.paid_cents))
      invoiceWrong.push(
        `${o.id} paid ${o.paid_cents} (${o.payment_ref}): ${invoices.length} invoice(s) ${invoices.map((i) => `${i.payment_ref}=${i.total_incl_vat_cents}`).join(',')}`,
      );
    if (!o.payment_ref && invoices.length) invoiceWrong.push(`${o.id} invoiced without a payment`);
    if (
      o.refund_id &&
      (credits.length !== 1 || credits[0]!.payment_ref !== o.refund_id || credits[0]!.total_incl_vat_cents !== invoices[0]?.total_incl_vat_cents)
    )
      invoiceWrong.push(`${o.id} refunded (${o.refund_id}): ${credits.length} credit note(s)`);
    if (!o.refund_id && credits.length) invoiceWrong.push(`${o.id}: a credit note without a refund`);
  }
  row('payments without exactly one invoice, refunds without exactly one credit note', invoiceWrong);
  const gaps: string[] = [];
  for (const kind of ['invoice', 'credit_note'] as const) {
    const seqs = documents
      .filter((d) => d.kind === kind)
      .map((d) => Number(d.seq))
      .sort((a, b) => a - b);
    const counter = await db.selectFrom('document_counters').select('next').where('series', '=', kind).executeTakeFirstOrThrow();
    seqs.forEach((n, i) => {
      if (n !== i + 1) gaps.push(`${kind}: number ${i + 1} is ${n}`);
    });
    if (Number(counter.next) !== seqs.length + 1) gaps.push(`${kind}: counter at ${counter.next} after ${seqs.length} documents`);
  }
  row('document numbers with a gap or a duplicate', gaps.slice(0, 20), '0', String(gaps.length));

  // ---- hosting: the sites the sandbox host holds for this run's orders ----
  const siteOwner = (name: string) => orderOfSite(orders, name);
  const sitesOf = new Map<string, string[]>();
  const orphanSites: string[] = [];
  // the run's sandbox world is its own: every site the host holds was made for one of its orders (names change with the domain)
  for (const site of world.netlify.sites()) {
    const o = siteOwner(site.name);
    if (!o) {
      orphanSites.push(`${site.name} (${site.id}) made for no order`);
      continue;
    }
    (sitesOf.get(o.id) ?? sitesOf.set(o.id, []).get(o.id)!).push(site.id);
  }
  const doubleSites = [...orphanSites];
  const leftOnline: string[] = [];
  for (const o of orders) {
    const mine = sitesOf.get(o.id) ?? [];
    if (mine.length > 1) doubleSites.push(`${o.id} ${o.domain}: ${mine.length} sites`);
    if (o.state === 'delivered' && (mine.length !== 1 || mine[0] !== o.site_id))
      doubleSites.push(`${o.id} delivered with site ${o.site_id}, host holds ${mine.join(',') || 'none'}`);
    if (o.state === 'refunded' && mine.length) leftOnline.push(`${o.id} ${o.domain}: refunded, site ${mine.join(',')} still online`);
  }
  row('double sites (more than one per order held by the host, or made for none)', doubleSites);
  row(`sites the host made for one order beyond the first, in its books (${books.sitesMade} made, deleted ones included)`, books.sitesTwice);
  row('sites left online after a refund', leftOnline);

  // ---- emails: what the sandbox SMTP server received, read on their own (recipient, subject, Message-ID) ----
  const customerOf = new Map(facts.runs.filter((r) => r.orderId).map((r) => [r.plan.email.toLowerCase(), r.orderId!]));
  const receivedBy = new Map<string, StoredMessage[]>();
  for (const m of world.smtp.messages()) {
    const orderId = m.to.map((t) => customerOf.get(t.toLowerCase())).find(Boolean);
    if (orderId) (receivedBy.get(orderId) ?? receivedBy.set(orderId, []).get(orderId)!).push(m);
  }
  const doubleEmails: string[] = [];
  const resent: string[] = [];
  const untold: string[] = [];
  let resentCount = 0;
  const lost: string[] = [];
  for (const o of orders) {
    const got = receivedBy.get(o.id) ?? [];
    // one message per Message-ID; the same one received again is an SMTP redelivery (see below), not a second email
    const byMessageId = new Map<string, StoredMessage[]>();
    for (const m of got) (byMessageId.get(normId(m.messageId)) ?? byMessageId.set(normId(m.messageId), []).get(normId(m.messageId))!).push(m);
    const distinct = [...byMessageId.values()].map((copies) => copies[0]!);
    const byPurpose = new Map<string, StoredMessage[]>();
    for (const m of distinct) {
      const { key } = purposeOf(m.subject);
      (byPurpose.get(key) ?? byPurpose.set(key, []).get(key)!).push(m);
    }
    for (const [purpose, list] of byPurpose)
      if (list.length > 1) doubleEmails.push(`${o.id} ${purpose}: ${list.length} different emails (${list.map((m) => m.messageId).join(', ')})`);
    for (const [id, copies] of byMessageId) {
      if (copies.length < 2) continue;
      resentCount += copies.length - 1;
      resent.push(
        `${o.id} ${purposeOf(copies[0]!.subject).kind} ${id}: received ${copies.length} times, at ${copies.map((c) => facts.clock(c.date)).join(', ')}`,
      );
    }
    const told = (kind: string) => distinct.some((m) => purposeOf(m.subject).kind === kind);
    if (!told('confirmation')) untold.push(`${o.id}: no confirmation email received`);
    if (o.state === 'delivered') for (const k of ['progress', 'delivered']) if (!told(k)) untold.push(`${o.id}: no ${k} email received`);
    if (o.state === 'refunded' && !told('refunded')) untold.push(`${o.id}: refunded, and no refund email received`);
    // every email received has its email_sent event, and every email_sent event an email received (matched by subject)
    const events = (eventsOf.get(o.id) ?? []).filter((e) => e.type === 'email_sent').map((e) => String(e.data.subject));
    const subjects = distinct.map((m) => m.subject);
    for (const subject of new Set([...events, ...subjects])) {
      const said = events.filter((x) => x === subject).length;
      const sent = subjects.filter((x) => x === subject).length;
      if (said !== sent) lost.push(`${o.id}: email "${subject}" received ${sent} time(s), email_sent ×${said}`);
    }
  }
  row('double emails (same purpose to the same order twice)', doubleEmails);
  // SMTP has no idempotency key: a worker killed after the server took a message and before we recorded it, or an answer
  // lost after the server queued it, sends the very same message again (same Message-ID, which mail clients show once).
  // Counted and shown, not hidden.
  rows.push({
    check: 'same email re-delivered (one Message-ID, SMTP at-least-once)',
    value: String(resentCount),
    expected: '—',
    ok: true,
    detail: resent.length ? resent : undefined,
  });
  row('customers not told (an email the SMTP server never received)', untold);

  // ---- the timeline: nothing lost, nothing twice ----
  for (const o of orders) {
    const expect = (type: string, n: number, match?: (d: Record<string, unknown>) => boolean, what = type) => {
      const c = count(o.id, type, match);
      if (c !== n) lost.push(`${o.id}: ${what} ×${c} (expected ${n})`);
    };
    expect('order_created', 1);
    if (o.paid_at) expect('payment_received', 1);
    // a step starts once, register_domain once more for each name the customer picked after theirs was taken
    const starts = (step: string) => (step === 'register_domain' ? 1 + count(o.id, 'domain_changed') : 1);
    for (const p of pipeline) {
      const name = p.step.name;
      const started = count(o.id, 'step_started', (d) => d.step === name);
      const done = count(o.id, 'step_done', (d) => d.step === name);
      if (o.state === 'delivered') {
        if (started !== starts(name)) lost.push(`${o.id}: step_started ${name} ×${started} (expected ${starts(name)})`);
        if (done !== 1) lost.push(`${o.id}: step_done ${name} ×${done} (expected 1)`);
      } else {
        if (started > starts(name) || (done > 0 && started !== starts(name))) lost.push(`${o.id}: step_started ${name} ×${started}, step_done ×${done}`);
        if (done > 1) lost.push(`${o.id}: step_done ${name} ×${done}`);
      }
    }
    if (o.state === 'delivered') {
      for (const phase of [2, 3, 4]) expect('phase_done', 1, (d) => d.phase === phase, `phase_done ${phase}`);
      expect('delivered', 1);
    }
    if (o.state === 'refunded') {
      expect('order_failed', 1);
      expect('refunded', 1);
    }
    const extras = (charges.get(o.id) ?? []).filter((c) => c.ref !== o.payment_ref && o.payment_ref).length;
    expect('payment_duplicate', extras);
    expect('payment_duplicate_refunded', extras);
  }
  const lostEvents = [...new Set(lost)];
  row('lost or doubled timeline events', lostEvents);

  // ---- refunds: the ones the run made certain happened, and the operator's ----
  const planned = facts.runs.filter((r) => r.orderId && (r.plan.repricedAtPurchase || r.operatorRefund === 'accepted'));
  const notRefunded = planned
    .filter((r) => orders.find((o) => o.id === r.orderId)?.state !== 'refunded')
    .map(
      (r) =>
        `#${r.plan.n} ${r.orderId} (${r.plan.repricedAtPurchase ? 'name re-priced at purchase' : 'operator refund'}) ended ${orders.find((o) => o.id === r.orderId)?.state}`,
    );
  row(`orders that had to be refunded (${planned.length}: name re-priced at purchase, operator) and were not`, notRefunded);
  // transient faults must not become refunds: the orders the run did not make certain to be refunded must be delivered
  const certain = new Set(planned.map((r) => r.orderId!));
  const open = paid.filter((o) => !certain.has(o.id));
  const openDelivered = open.filter((o) => o.state === 'delivered').length;
  const deliveredShare = open.length ? openDelivered / open.length : 0;
  const unexplained: string[] = [];
  for (const o of open.filter((x) => x.state === 'refunded')) unexplained.push(`${o.id} ${o.domain}: ${await whyRefunded(sys, o, eventsOf.get(o.id) ?? [])}`);
  rows.push({
    check: 'of the paid orders the run did not make certain to be refunded, share delivered',
    value: `${(deliveredShare * 100).toFixed(1)} % (${openDelivered}/${open.length})`,
    expected: `≥ ${+(facts.minDeliveredShare * 100).toFixed(1)} %`,
    ok: open.length > 0 && deliveredShare >= facts.minDeliveredShare,
    detail: unexplained.length ? unexplained : undefined,
  });
  const toldRefunds = refunded.filter((o) => (receivedBy.get(o.id) ?? []).some((m) => purposeOf(m.subject).kind === 'refunded')).length;
  rows.push({
    check: 'refunded orders whose customer received the refund email',
    value: String(toldRefunds),
    expected: '≥ 1',
    ok: toldRefunds >= 1 && toldRefunds === refunded.length,
  });

  // ---- deadlines: met, or alerted (deadline_at_risk) with the operators told by email and webhook ----
  const alerts = ids.length
    ? await db.selectFrom('alerts').selectAll().where('rule', '=', 'deadline_at_risk').where('subject', 'in', ids).orderBy('id').execute()
    : [];
  const alertIds = alerts.map((a) => a.id);
  const noticeRows = alertIds.length
    ? await db.selectFrom('alert_notifications').select(['id', 'alert_id', 'kind']).where('alert_id', 'in', alertIds).execute()
    : [];
  const noticeMails = alertIds.length
    ? await db
        .selectFrom('outbox_emails')
        .select(['dedupe_key', 'message_id'])
        .where('kind', '=', 'alert')
        .where(
          'dedupe_key',
          'in',
          alertIds.map((id) => `alert:${id}:opened`),
        )
        .execute()
    : [];
  const operatorGot = new Set(
    world.smtp
      .messages()
      .filter((m) => m.to.includes(sys.config.OPERATOR_EMAIL ?? ''))
      .map((m) => normId(m.messageId)),
  );
  const hooked = new Set(facts.alertNotices.filter((n) => n.event === 'alert.opened').map((n) => n.alert?.id));
  const share = sys.config.ALERT_DEADLINE_RISK_SHARE;
  const grace = facts.alertGraceSeconds * 1000;
  const atRisk: string[] = [];
  const missed: string[] = [];
  const notAlerted: string[] = [];
  const falseAlarms: string[] = [];
  let required = 0;
  let met = 0;
  for (const o of paid) {
    if (!o.deadline_at) continue;
    const paidAt = o.paid_at!.getTime();
    const riskAt = paidAt + (o.deadline_at.getTime() - paidAt) * share;
    const working = workingSpans(eventsOf.get(o.id) ?? [], paidAt);
    const exposure = (from: number) => working.reduce((t, [a, b]) => t + Math.max(0, b - Math.max(a, from)), 0);
    // the same, less the moments when the rules may not have run
    const watched = (from: number) => working.reduce((t, [a, b]) => t + undisrupted(Math.max(a, from), b, facts.disruptions), 0);
    const mine = alerts.filter((a) => a.subject === o.id);
    for (const a of mine)
      if (a.opened_at.getTime() < riskAt - 1_000)
        falseAlarms.push(
          `${o.id}: alert ${a.id} opened at ${facts.clock(a.opened_at.toISOString())}, before 75 % of its deadline (${facts.clock(new Date(riskAt).toISOString())})`,
        );
    const finished = working.at(-1)?.[1] ?? paidAt;
    if (o.state === 'delivered' && finished <= o.deadline_at.getTime()) met++;
    if (exposure(riskAt) > 0) atRisk.push(o.id);
    if (exposure(o.deadline_at.getTime()) > 0)
      missed.push(`${o.id}: ${o.state} ${((finished - o.deadline_at.getTime()) / 1000).toFixed(1)} s after its deadline`);
    if (watched(riskAt) <= grace) continue;
    // long enough past 75 % that the rule must have seen it
    required++;
    const first = mine.find((a) => a.opened_at.getTime() >= riskAt - 1_000);
    if (!first) {
      notAlerted.push(`${o.id}: ${(watched(riskAt) / 1000).toFixed(1)} s in progress past 75 % of its deadline (undisturbed), no deadline_at_risk alert`);
      continue;
    }
    if (watched(o.deadline_at.getTime()) > grace && !mine.some((a) => a.severity === 'critical'))
      notAlerted.push(`${o.id}: missed its deadline, its alert never turned critical`);
    const note = noticeRows.find((n) => n.alert_id === first.id && n.kind === 'opened');
    const mail = noticeMails.find((m) => m.dedupe_key === `alert:${first.id}:opened`);
    if (!note) notAlerted.push(`${o.id}: alert ${first.id} opened, no notice (${first.open_notice})`);
    else if (!mail || !operatorGot.has(normId(mail.message_id)))
      notAlerted.push(`${o.id}: alert ${first.id}: the operators' email never reached the SMTP server`);
    else if (!hooked.has(String(first.id))) notAlerted.push(`${o.id}: alert ${first.id}: the alert webhook never received alert.opened`);
  }
  const ended = paid.filter((o) => o.state === 'delivered').length;
  const took = (tier: string) => {
    const t = paid
      .filter((o) => o.state === 'delivered' && o.tier === tier && o.delivered_at)
      .map((o) => (o.delivered_at!.getTime() - o.paid_at!.getTime()) / 1000)
      .sort((a, b) => a - b);
    return t.length ? `${t[Math.floor(t.length / 2)]!.toFixed(0)}/${t.at(-1)!.toFixed(0)}` : '-';
  };
  rows.push({ check: 'payment to delivery, median/longest (s): express, standard', value: `${took('express')}, ${took('standard')}`, expected: '—', ok: true });
  rows.push({ check: 'deadlines met (delivered orders)', value: `${met}/${ended}`, expected: '—', ok: true });
  rows.push({
    check: `orders past ${Math.round(share * 100)} % of their deadline in progress (${facts.deadlines.expressSeconds} s express, ${facts.deadlines.standardSeconds} s standard)`,
    value: String(atRisk.length),
    expected: '—',
    ok: true,
  });
  rows.push({ check: 'orders that missed their deadline', value: String(missed.length), expected: '—', ok: true, detail: missed.length ? missed : undefined });
  rows.push({
    check: `of them, in progress past 75 % for over ${facts.alertGraceSeconds} s with no kill or restart then: an alert is due`,
    value: String(required),
    expected: facts.calmTailOrders ? `≥ ${facts.calmTailOrders} (the calm tail)` : '—',
    ok: required >= facts.calmTailOrders,
  });
  row(`of those, without a deadline_at_risk alert (critical once late) and the operators told (email + webhook)`, notAlerted);
  row('deadline alerts for orders not at risk', falseAlarms);

  // ---- how fast each order moved again after a kill or the restart ----
  const calm = new Set(facts.calmTail.orderIds);
  const stalls: { id: string; seconds: number; limit: number }[] = [];
  for (const o of paid) {
    // while the order is worked on: from its payment to its delivery or refund (the year after, a renewal's reminders
    // are weeks apart by design, and the run's renewal phase adds them minutes after delivery)
    const all = (eventsOf.get(o.id) ?? []).filter((e) => e.at >= o.paid_at!);
    const end = all.findIndex((e) => e.type === 'delivered' || e.type === 'refunded');
    const list = end < 0 ? all : all.slice(0, end + 1);
    let worst = 0;
    // from the other names offered (domain_taken) to the customer's choice (domain_changed) the time is theirs, not
    // ours, whatever else the timeline records meanwhile (the emails sent, an invoice)
    let theirs = false;
    for (let i = 1; i < list.length; i++) {
      if (list[i - 1]!.type === 'domain_taken') theirs = true;
      if (!theirs) worst = Math.max(worst, (list[i]!.at.getTime() - list[i - 1]!.at.getTime()) / 1000);
      if (list[i]!.type === 'domain_changed') theirs = false;
    }
    // the calm tail's orders wait for their DNS on purpose (no kill, no restart then): that wait plus the limit
    const limit = calm.has(o.id) ? facts.calmTail.propagationSeconds + facts.stallLimitSeconds : facts.stallLimitSeconds;
    stalls.push({ id: o.id, seconds: worst, limit });
  }
  const others = stalls.filter((x) => !calm.has(x.id));
  const longest = others.reduce((m, x) => Math.max(m, x.seconds), 0);
  const slow = stalls.filter((x) => x.seconds > x.limit).map((x) => `${x.id}: silent for ${x.seconds.toFixed(1)} s (limit ${x.limit} s)`);
  rows.push({
    check: `longest silence in a paid order's timeline (s), the calm tail's DNS wait aside`,
    value: longest.toFixed(1),
    expected: `≤ ${facts.stallLimitSeconds}`,
    ok: slow.length === 0,
    detail: slow.length ? slow : undefined,
  });

  // ---- the chaos itself, so a reader sees it happened ----
  rows.push({ check: 'worker processes SIGKILLed (and replaced)', value: String(facts.kills), expected: '≥ 1', ok: facts.kills >= 1 });
  const targeted = (kind: TargetedKill['kind']) => facts.targetedKills.filter((k) => k.kind === kind).length;
  rows.push({
    check: 'of them, the moment the sandbox received their purchase / their refund',
    value: `${targeted('purchase')} / ${targeted('refund')}`,
    expected: '≥ 1 / ≥ 1',
    ok: targeted('purchase') >= 1 && targeted('refund') >= 1,
    detail: facts.targetedKills.length ? facts.targetedKills.map((k) => `${k.kind}: ${k.call}`) : undefined,
  });
  rows.push({ check: 'PostgreSQL restarts', value: String(facts.postgresRestarts), expected: '≥ 1', ok: facts.postgresRestarts >= 1 });
  const lostTotal = Object.values(facts.lostAnswers).reduce((a, b) => a + b, 0);
  rows.push({
    check: 'answers lost after the provider did the work (purchase, checkout, capture, refund, site, deploy, file, email; refusals never)',
    value: String(lostTotal),
    expected: '≥ 1',
    ok: lostTotal >= 1,
    detail: Object.entries(facts.lostAnswers).map(([k, n]) => `${k} ×${n}`),
  });
  const r = facts.replays;
  // the run makes each of these happen: a count of zero means the check had nothing to check
  rows.push({
    check: 'Stripe events replayed, freshly signed → duplicate',
    value: `${r.stripeDuplicate}/${r.stripeSent}`,
    expected: 'all, ≥ 1',
    ok: r.stripeSent >= 1 && r.stripeUnexpected.length === 0,
    detail: r.stripeUnexpected.length ? r.stripeUnexpected : undefined,
  });
  rows.push({
    check: 'Stripe events replayed with a stale signature → refused',
    value: `${r.staleRefused}/${r.staleSent}`,
    expected: 'all, ≥ 1',
    ok: r.staleSent >= 1 && r.staleRefused === r.staleSent,
  });
  rows.push({ check: 'PayPal events resent by the provider', value: String(r.paypalResent), expected: '≥ 1', ok: r.paypalResent >= 1 });
  const webhookDuplicates = [...world.stripe.events(), ...world.paypal.events()].filter((e) => e.attempts.filter((a) => a.status === 200).length > 1).length;
  rows.push({ check: 'webhook events delivered more than once', value: String(webhookDuplicates), expected: '≥ 1', ok: webhookDuplicates >= 1 });
  const v = facts.liveViews;
  rows.push({
    check: 'live views (SSE) that saw the final state',
    value: `${v.sawFinal}/${v.opened}`,
    expected: `all, ${v.wanted} opened`,
    ok: v.opened === v.wanted && v.opened >= 1 && v.sawFinal === v.opened,
  });
  const limit = facts.quickLimitSeconds;
  // flagged, not failed: on a machine busy with other work the same run takes longer, and says so
  const over = !!limit && facts.wallSeconds > limit;
  rows.push({
    check: 'wall time of the run (s)',
    value: `${facts.wallSeconds.toFixed(0)}${over ? ' OVER' : ''}`,
    expected: limit ? `≤ ${limit}` : '—',
    ok: true,
    detail: over ? [`the quick run took ${facts.wallSeconds.toFixed(0)} s, over the ${limit} s it should fit in (a busy machine?)`] : undefined,
  });

  const counts = {
    orders: orders.length,
    delivered: delivered.length,
    refunded: refunded.length,
    stuck: stuck.length,
    certainRefunds: refunded.filter((o) => certain.has(o.id)).length,
    deliveredShare,
    doublePurchases: orphanPurchases.length + books.purchasedTwice.length,
    doubleCharges: doubleCharges.length,
    doubleRefunds: books.refundedTwice.length + doubleRefunds.length,
    doubleSites: doubleSites.length + books.sitesTwice.length,
    doubleEmails: doubleEmails.length,
    resentEmails: resentCount,
    lostEvents: lostEvents.length,
    atRisk: atRisk.length,
    missedDeadlines: missed.length,
    notAlerted: notAlerted.length,
    kills: facts.kills,
    targetedPurchases: targeted('purchase'),
    targetedRefunds: targeted('refund'),
    postgresRestarts: facts.postgresRestarts,
    lostAnswers: lostTotal,
    wallSeconds: facts.wallSeconds,
    overTime: over ? limit! : 0,
  };
  return { rows, counts, pass: rows.every((x) => x.ok) };
}

/**
 * Why an order the run did not mean to refund was refunded, from what was recorded: the failure's step and code, the
 * retries before it (their codes) and the provider calls that failed for good on its way.
 */
async function whyRefunded(
  sys: System,
  o: { id: string; failure_code: string | null },
  events: { type: string; data: Record<string, unknown> }[],
): Promise<string> {
  const retries = events.filter((e) => e.type === 'step_retry').map((e) => `${e.data.step}:${e.data.code}`);
  const calls = await sys.db
    .selectFrom('provider_calls')
    .select(['provider', 'operation', 'error_code'])
    .where('order_id', '=', o.id)
    .where('outcome', '=', 'error')
    .orderBy('id')
    .execute();
  const failed = calls.map((c) => `${c.provider} ${c.operation} ${c.error_code}`);
  return `${o.failure_code ?? '?'}; retried before: ${retries.join(', ') || 'none'}; calls refused: ${failed.join(', ') || 'none'}`;
}

/** Milliseconds of [from, to] outside every disruption. */
function undisrupted(from: number, to: number, disruptions: [number, number][]): number {
  if (to <= from) return 0;
  const cuts = disruptions
    .filter(([a, b]) => b > from && a < to)
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as [number, number])
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let end = from;
  for (const [a, b] of cuts) {
    if (b <= end) continue;
    covered += b - Math.max(a, end);
    end = b;
  }
  return to - from - covered;
}

/**
 * When the pipeline worked on the order (the alert rule's "in progress"): from payment to delivery or failure, less the
 * time it waited for the customer to pick another name. [start, end] in epoch ms.
 */
function workingSpans(events: { type: string; at: Date }[], paidAt: number): [number, number][] {
  const spans: [number, number][] = [];
  let from: number | undefined = paidAt;
  for (const e of events) {
    const at = e.at.getTime();
    if (at < paidAt) continue;
    if (from !== undefined && ['domain_taken', 'order_failed', 'delivered'].includes(e.type)) {
      spans.push([from, at]);
      from = undefined;
    } else if (from === undefined && e.type === 'domain_changed') from = at;
  }
  // still in progress at the end of the run (a stuck order: counted as such elsewhere)
  if (from !== undefined) spans.push([from, Date.now()]);
  return spans;
}

export function table(rows: Row[]): string {
  const w0 = Math.max(...rows.map((r) => r.check.length), 5);
  const w1 = Math.max(...rows.map((r) => r.value.length), 5);
  const w2 = Math.max(...rows.map((r) => r.expected.length), 8);
  const line = (a: string, b: string, c: string, d: string) => `| ${a.padEnd(w0)} | ${b.padStart(w1)} | ${c.padEnd(w2)} | ${d.padEnd(4)} |`;
  const out = [line('check', 'value', 'expected', 'ok'), `|${'-'.repeat(w0 + 2)}|${'-'.repeat(w1 + 2)}|${'-'.repeat(w2 + 2)}|------|`];
  for (const r of rows) out.push(line(r.check, r.value, r.expected, r.ok ? 'PASS' : 'FAIL'));
  return out.join('\n');
}

/** The last line: every count of the table that a reader scans for, the verdict last. */
export function summary(v: Verdict): string {
  const c = v.counts;
  return (
    `chaos: ${c.orders} orders, ${c.delivered} delivered, ${c.refunded} refunded (${c.certainRefunds} certain), ` +
    `${(c.deliveredShare * 100).toFixed(1)} % of the others delivered, ${c.stuck} stuck, ` +
    `${c.doublePurchases} double purchases, ${c.doubleCharges} double charges, ${c.doubleRefunds} double refunds, ${c.doubleSites} double sites, ` +
    `${c.doubleEmails} double emails, ${c.resentEmails} emails re-delivered with the same Message-ID, ${c.lostEvents} lost events, ` +
    `${c.atRisk} at risk, ${c.missedDeadlines} deadlines missed, ${c.notAlerted} not alerted, ` +
    `${c.kills} SIGKILLs (${c.targetedPurchases} at a purchase, ${c.targetedRefunds} at a refund), ${c.postgresRestarts} PostgreSQL restarts, ${c.lostAnswers} answers lost after the work, ` +
    `${c.wallSeconds.toFixed(0)} s${c.overTime ? ` (over ${c.overTime} s)` : ''} — ${v.pass ? 'PASS' : 'FAIL'}`
  );
}
