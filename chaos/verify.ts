// The end of a chaos run: what the database says, checked against what the sandbox providers themselves recorded (registrations, charges, refunds, emails).
import type { System } from '../src/system.ts';
import { pipeline } from '../src/workflow/pipeline.ts';
import type { CustomerRun } from './customers.ts';

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
    stuck: number;
    doublePurchases: number;
    doubleCharges: number;
    doubleRefunds: number;
    doubleEmails: number;
    resentEmails: number;
    lostEvents: number;
  };
  pass: boolean;
}

export interface RunFacts {
  runId: string;
  runs: CustomerRun[];
  kills: number;
  postgresRestarts: number;
  replays: { stripeSent: number; stripeDuplicate: number; stripeUnexpected: string[]; staleSent: number; staleRefused: number; paypalResent: number };
  liveViews: { opened: number; sawFinal: number };
  /** a wall-clock time as the run's trace writes it (seconds since the start) */
  clock: (iso: string) => string;
  /** seconds each order took to move again after a kill or the PostgreSQL restart: the longest silence in its timeline */
  stallLimitSeconds: number;
}

const ONCE_PER_ORDER = new Set(['confirmation', 'progress', 'delivered', 'refunded']);
const normId = (id: string) => id.trim().replace(/^<|>$/g, '').toLowerCase();

export async function verify(sys: System, facts: RunFacts): Promise<Verdict> {
  const { db } = sys;
  const world = sys.sandbox!;
  const ids = facts.runs.map((r) => r.orderId).filter((x): x is string => !!x);
  const orders = ids.length ? await db.selectFrom('orders').selectAll().where('id', 'in', ids).execute() : [];
  const events = ids.length ? await db.selectFrom('order_events').select(['order_id', 'type', 'data', 'at']).where('order_id', 'in', ids).orderBy('id').execute() : [];
  const outbox = ids.length ? await db.selectFrom('outbox_emails').select(['id', 'order_id', 'kind', 'dedupe_key', 'message_id', 'state', 'to_address']).where('order_id', 'in', ids).execute() : [];
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
  row('paid orders stuck (neither delivered nor refunded)', stuck.map((o) => `${o.id} ${o.domain} ${o.state} at ${o.current_step ?? '-'}`));

  // ---- registrations: what the sandbox registrar sold to our account ----
  const ours = world.registry.all().filter((r) => r.owner === sys.sandboxEndpoints!.credentials.namecheapApiUser);
  const byRegistration = new Map(orders.filter((o) => o.registrar_domain_id).map((o) => [`${o.domain}#${o.registrar_domain_id}`, o]));
  const orphanPurchases = ours.filter((r) => r.domain.includes(runTag(facts)) && !byRegistration.has(`${r.domain}#${r.domainId}`)).map((r) => `${r.domain} (${r.domainId}) bought but held by no order`);
  const missingPurchases = delivered.filter((o) => !ours.some((r) => r.domain === o.domain && String(r.domainId) === o.registrar_domain_id)).map((o) => `${o.domain}: delivered without its registration`);
  row('double domain purchases', orphanPurchases);
  const keptForRefunded = refunded.filter((o) => ours.some((r) => r.domain === o.domain && String(r.domainId) === o.registrar_domain_id)).length;
  rows.push({ check: 'domains bought for orders then refunded (kept on record)', value: String(keptForRefunded), expected: '—', ok: true });
  row('delivered orders without their registration', missingPurchases);

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
    if (s.status !== 'complete' || !s.payment_intent || !s.client_reference_id) continue;
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
    if (o.state === 'delivered' && (kept.length !== 1 || kept[0]!.ref !== o.payment_ref)) moneyWrong.push(`${o.id} delivered, charges kept: ${kept.map((c) => c.ref).join(',') || 'none'} (order says ${o.payment_ref})`);
    if (o.state === 'refunded' && kept.length !== 0) moneyWrong.push(`${o.id} refunded but ${kept.length} charge(s) kept`);
    if (!o.paid_at && mine.length) moneyWrong.push(`${o.id} charged ${mine.length} time(s) but not paid in our records`);
  }
  const extraPayments = orders.reduce((n, o) => n + (charges.get(o.id) ?? []).filter((c) => c.ref !== o.payment_ref).length, 0);
  row('double charges (more than one payment kept)', doubleCharges);
  row('double refunds', doubleRefunds);
  row('money that does not match the order', moneyWrong);
  rows.push({ check: 'extra payments (double click, second checkout), refunded', value: String(extraPayments), expected: '—', ok: true });

  // ---- emails: what the sandbox SMTP server received, matched to our outbox by Message-ID ----
  const byMessageId = new Map(outbox.map((m) => [normId(m.message_id), m]));
  const received = new Map<string, number>();
  const receivedAt = new Map<string, string[]>();
  for (const m of world.smtp.messages()) {
    const row = byMessageId.get(normId(m.messageId));
    if (!row) continue;
    received.set(row.id, (received.get(row.id) ?? 0) + 1);
    (receivedAt.get(row.id) ?? receivedAt.set(row.id, []).get(row.id)!).push(m.date);
  }
  const purposes = new Map<string, { ids: Set<string>; messages: number; at: string[] }>();
  for (const m of outbox) {
    const n = received.get(m.id) ?? 0;
    if (!n || m.dedupe_key.startsWith('resend:')) continue;
    const purpose = `${m.order_id} ${ONCE_PER_ORDER.has(m.kind) ? m.kind : m.dedupe_key}`;
    const p = purposes.get(purpose) ?? purposes.set(purpose, { ids: new Set(), messages: 0, at: [] }).get(purpose)!;
    p.ids.add(m.id);
    p.messages += n;
    p.at.push(...(receivedAt.get(m.id) ?? []));
  }
  const doubleEmails = [...purposes].filter(([, p]) => p.ids.size > 1).map(([k, p]) => `${k}: ${p.ids.size} different emails`);
  row('double emails (same kind to the same order twice)', doubleEmails);
  // SMTP has no idempotency key: a worker killed after the server took a message and before we recorded it sends the very
  // same message again (same Message-ID, which mail clients show once). Counted and shown, not hidden.
  const resent = [...purposes].filter(([, p]) => p.messages > p.ids.size).map(([k, p]) => `${k}: delivered ${p.messages} times with one Message-ID, at ${p.at.map((a) => facts.clock(a)).join(', ')}`);
  rows.push({ check: 'same email re-delivered after a crash (one Message-ID)', value: String(resent.length), expected: '—', ok: true, detail: resent.length ? resent : undefined });
  const untold: string[] = [];
  const got = (orderId: string, kind: string) => outbox.some((m) => m.order_id === orderId && m.kind === kind && (received.get(m.id) ?? 0) > 0);
  for (const o of orders) {
    if (!got(o.id, 'confirmation')) untold.push(`${o.id}: no confirmation email`);
    if (o.state === 'delivered') for (const k of ['progress', 'delivered']) if (!got(o.id, k)) untold.push(`${o.id}: no ${k} email`);
    if (o.state === 'refunded' && !got(o.id, 'refunded')) untold.push(`${o.id}: refunded without telling the customer`);
  }
  row('customers not told (a missing email)', untold);

  // ---- the timeline: nothing lost, nothing twice ----
  const lost: string[] = [];
  for (const o of orders) {
    const expect = (type: string, n: number, match?: (d: Record<string, unknown>) => boolean, what = type) => {
      const c = count(o.id, type, match);
      if (c !== n) lost.push(`${o.id}: ${what} ×${c} (expected ${n})`);
    };
    expect('order_created', 1);
    if (o.paid_at) expect('payment_received', 1);
    if (o.state === 'delivered') {
      for (const p of pipeline) expect('step_done', 1, (d) => d.step === p.step.name, `step_done ${p.step.name}`);
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
    for (const m of outbox.filter((x) => x.order_id === o.id && x.state === 'sent')) {
      const sameKind = outbox.filter((x) => x.order_id === o.id && x.state === 'sent' && x.kind === m.kind).length;
      const c = count(o.id, 'email_sent', (d) => d.kind === m.kind);
      if (c !== sameKind) lost.push(`${o.id}: email_sent ${m.kind} ×${c} (expected ${sameKind})`);
    }
  }
  const lostEvents = [...new Set(lost)];
  row('lost or doubled timeline events', lostEvents);

  // ---- deadlines, and how fast each order moved again after a kill or the restart ----
  const late: string[] = [];
  for (const o of paid) {
    const report = o.report as { deadlineMet?: boolean } | null;
    if (o.state === 'delivered' && report?.deadlineMet !== true) late.push(`${o.id}: delivered after its deadline`);
    const refundedAt = (eventsOf.get(o.id) ?? []).find((e) => e.type === 'refunded')?.at;
    if (o.state === 'refunded' && o.deadline_at && refundedAt && refundedAt > o.deadline_at) late.push(`${o.id}: refunded after its deadline`);
  }
  row('deadlines missed and not alerted', late);
  const stalls: { id: string; seconds: number }[] = [];
  for (const o of paid) {
    const list = (eventsOf.get(o.id) ?? []).filter((e) => e.at >= o.paid_at!);
    let worst = 0;
    for (let i = 1; i < list.length; i++) {
      // waiting for the customer to choose another name is theirs, not ours
      if (list[i]!.type === 'domain_changed') continue;
      worst = Math.max(worst, (list[i]!.at.getTime() - list[i - 1]!.at.getTime()) / 1000);
    }
    stalls.push({ id: o.id, seconds: worst });
  }
  const longest = stalls.reduce((m, s) => Math.max(m, s.seconds), 0);
  const slow = stalls.filter((s) => s.seconds > facts.stallLimitSeconds).map((s) => `${s.id}: silent for ${s.seconds.toFixed(1)} s`);
  rows.push({ check: `longest silence in a paid order's timeline (s)`, value: longest.toFixed(1), expected: `≤ ${facts.stallLimitSeconds}`, ok: slow.length === 0, detail: slow.length ? slow : undefined });

  // ---- the chaos itself, so a reader sees it happened ----
  rows.push({ check: 'worker processes SIGKILLed (and replaced)', value: String(facts.kills), expected: '≥ 1', ok: facts.kills >= 1 });
  rows.push({ check: 'PostgreSQL restarts', value: String(facts.postgresRestarts), expected: '≥ 1', ok: facts.postgresRestarts >= 1 });
  const r = facts.replays;
  rows.push({ check: 'Stripe events replayed, freshly signed → duplicate', value: `${r.stripeDuplicate}/${r.stripeSent}`, expected: 'all', ok: r.stripeUnexpected.length === 0, detail: r.stripeUnexpected.length ? r.stripeUnexpected : undefined });
  rows.push({ check: 'Stripe events replayed with a stale signature → refused', value: `${r.staleRefused}/${r.staleSent}`, expected: 'all', ok: r.staleRefused === r.staleSent });
  rows.push({ check: 'PayPal events resent by the provider', value: String(r.paypalResent), expected: '—', ok: true });
  const webhookDuplicates = [...world.stripe.events(), ...world.paypal.events()].filter((e) => e.attempts.filter((a) => a.status === 200).length > 1).length;
  rows.push({ check: 'webhook events delivered more than once', value: String(webhookDuplicates), expected: '—', ok: true });
  rows.push({ check: 'live views (SSE) that saw the final state', value: `${facts.liveViews.sawFinal}/${facts.liveViews.opened}`, expected: 'all', ok: facts.liveViews.sawFinal === facts.liveViews.opened });

  const counts = {
    orders: orders.length,
    delivered: delivered.length,
    refunded: refunded.length,
    stuck: stuck.length,
    doublePurchases: orphanPurchases.length,
    doubleCharges: doubleCharges.length,
    doubleRefunds: doubleRefunds.length,
    doubleEmails: doubleEmails.length,
    resentEmails: resent.length,
    lostEvents: lostEvents.length,
  };
  return { rows, counts, pass: rows.every((x) => x.ok) };
}

/** every name of a run carries its id, so registrations from anything else are not counted */
function runTag(facts: RunFacts): string {
  return `-${facts.runId}-`;
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

export function summary(v: Verdict): string {
  const c = v.counts;
  return `chaos: ${c.orders} orders, ${c.delivered} delivered, ${c.refunded} refunded, ${c.stuck} stuck, ${c.doublePurchases} double purchases, ${c.doubleCharges} double charges, ${c.doubleRefunds} double refunds, ${c.doubleEmails} double emails${c.resentEmails ? ` (${c.resentEmails} re-delivered after a crash with the same Message-ID)` : ''}, ${c.lostEvents} lost events — ${v.pass ? 'PASS' : 'FAIL'}`;
}
