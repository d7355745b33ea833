// Erasing a customer's personal data: on their request (every order placed with their address), and for orders never
// paid once their retention period is over (a recurring job). What the law or the exactly-once guarantees need stays
// (src/legal/retention.ts says what and why); everything else is removed or replaced by a placeholder. Idempotent: an
// address with nothing left to erase gets the first erasure's answer again.
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import { transactionRetrying, type Tx } from '../db/database.ts';
import { transition } from '../db/orders.ts';
import { isFinal, isUnpaid, type OrderState } from '../domain/order-state.ts';
import type { Locale } from '../domain/locale.ts';
import { AppError } from '../errors.ts';
import { enqueue } from '../workflow/jobs/enqueue.ts';
import { ERASED_NAME, PERSONAL_EVENT_KEYS, emailHash, erasedEmail } from './anonymous.ts';
import { ERASED, keptIn, type KeptItem } from './retention.ts';

export type ErasureReason = 'customer' | 'retention';

export interface Erasure {
  erasedAt: Date;
  orders: number;
  erased: string;
  kept: ReturnType<typeof keptIn>;
  alreadyErased: boolean;
}

/**
 * The accounting rule, in one place: issued invoices and credit notes are never touched (they carry the buyer's identity
 * the law requires for 10 years, Code de commerce L123-22, and 6 for tax, LPF L102 B; a trigger refuses any change
 * anyway). An order's billing identity stays while an invoice of it exists, since a later credit note prints it;
 * without an invoice it is personal data like any other and goes. Answers how many documents are kept.
 */
export async function applyAccountingRule(tx: Tx, orderIds: string[]): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*)::text as n from invoices where order_id = any(${orderIds}::uuid[])`.execute(tx);
  await sql`delete from order_billing b where b.order_id = any(${orderIds}::uuid[])
    and not exists (select 1 from invoices i where i.order_id = b.order_id)`.execute(tx);
  return Number(rows[0]?.n ?? 0);
}

/** States an erasure waits for: a paid order being worked on needs its customer's address and content. */
function inProgress(state: OrderState): boolean {
  return !isFinal(state) && !isUnpaid(state);
}

/**
 * Erase what is personal in one order (its row locked by the caller). An unpaid order is cancelled first: a payment
 * arriving later for it is refunded (src/workflow/payment-events.ts), never worked on.
 */
async function eraseOrder(tx: Tx, order: { id: string; state: OrderState }): Promise<void> {
  if (isUnpaid(order.state)) {
    await transition(tx, order, 'cancelled');
    await tx.updateTable('payment_links').set({ state: 'superseded' }).where('order_id', '=', order.id).where('state', 'in', ['open', 'creating']).execute();
  }
  const anonymous = erasedEmail(order.id);
  await tx
    .updateTable('orders')
    .set({ business_name: ERASED_NAME, email: anonymous, city: null, request_hash: null, erased_at: new Date(), updated_at: new Date() })
    .where('id', '=', order.id)
    .execute();
  await tx.updateTable('order_consents').set({ client_ip: null }).where('order_id', '=', order.id).execute();
  await sql`update order_events set data = data - ${PERSONAL_EVENT_KEYS}::text[] where order_id = ${order.id} and data ?| ${PERSONAL_EVENT_KEYS}::text[]`.execute(
    tx,
  );
  // the rows stay (their dedupe keys keep each email to one), their content goes; an unsent one is never sent (outbox.ts)
  await tx.updateTable('outbox_emails').set({ to_address: anonymous, subject: '', text_body: '', html_body: '' }).where('order_id', '=', order.id).execute();
  await tx.updateTable('satisfaction').set({ comment: null }).where('order_id', '=', order.id).execute();
  await tx.updateTable('contact_opt_outs').set({ order_id: null }).where('order_id', '=', order.id).execute();
  // the customer's own content held by us; the published site stays where it is, at their domain
  await tx.deleteFrom('site_documents').where('order_id', '=', order.id).execute();
  await tx.deleteFrom('site_assets').where('order_id', '=', order.id).execute();
  await tx.deleteFrom('site_archives').where('order_id', '=', order.id).execute();
  // nobody left to remind nor to ask: no renewal is charged any more, the saved method is forgotten, the name expires at
  // its date. A PayPal vault token is deleted at PayPal by its own job (renewal_forget), which then forgets its reference.
  const saved = await tx.selectFrom('renewals').select(['provider', 'payment_method_ref']).where('order_id', '=', order.id).executeTakeFirst();
  const paypalToken = saved?.provider === 'paypal' && saved.payment_method_ref !== null;
  await tx
    .updateTable('renewals')
    .set({
      auto_renew: false,
      card_brand: null,
      card_last4: null,
      payer_email_masked: null,
      ...(paypalToken ? {} : { customer_ref: null, payment_method_ref: null }),
      updated_at: new Date(),
    })
    .where('order_id', '=', order.id)
    .execute();
  if (paypalToken) await enqueue(tx, 'renewal_forget', { orderId: order.id });
  // nobody left to tell when the site goes down
  await tx
    .updateTable('monitors')
    .set({ enabled: false, disabled_reason: 'personal_data_erased', disabled_at: new Date() })
    .where('order_id', '=', order.id)
    .where('enabled', '=', true)
    .execute();
  // the providers' notifications keep their id (deduplication) and type; the payer's name and address go
  await sql`update webhook_events w set payload = jsonb_build_object('id', w.payload->'id', 'erased', true)
     from payment_links l
    where l.order_id = ${order.id} and l.provider_ref is not null and w.processed_at is not null
      and l.provider_ref in (w.payload#>>'{data,object,id}', w.payload#>>'{resource,id}', w.payload#>>'{resource,supplementary_data,related_ids,order_id}')`.execute(
    tx,
  );
  // the domain's holder (registrant): the registrar and the registry keep their own record
  await tx.deleteFrom('order_holders').where('order_id', '=', order.id).execute();
}

/** An erasure kept: in personal_data_erasures (by the address's hash) and in the admin audit log, neither with the address. */
async function recordErasure(tx: Tx, hash: string, reason: ErasureReason, orderIds: string[], kept: string[]): Promise<Date> {
  const row = await tx
    .insertInto('personal_data_erasures')
    .values({ email_sha256: hash, reason, orders: orderIds.length, order_ids: orderIds, kept: JSON.stringify(kept) })
    .returning('at')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('admin_audit_log')
    .values({ action: 'personal_data_erased', target: `email-sha256:${hash.slice(0, 16)}`, actor: reason, details: JSON.stringify({ orders: orderIds }) })
    .execute();
  return row.at;
}

/**
 * Erase the personal data of every order placed with `email` (any case). Refused (409) while one of them is paid and
 * being worked on. The customer space calls this with the signed-in address; the tracking page with its order's.
 */
export async function erasePersonalData(deps: Deps, email: string, opts: { reason: ErasureReason; locale: Locale }): Promise<Erasure> {
  const hash = emailHash(email);
  const result = await transactionRetrying(deps.db, async (tx) => {
    const orders = await tx
      .selectFrom('orders')
      .select(['id', 'state', 'paid_at', 'registrar_domain_id'])
      .where(sql<boolean>`lower(email) = ${email.trim().toLowerCase()}`)
      .where('erased_at', 'is', null)
      .orderBy('id')
      // NO KEY UPDATE: a job writing an order's child rows (an email marked sent and its event) takes KEY SHARE on the
      // order after locking its own row; FOR UPDATE would block it while this waits for that row, a deadlock
      .forNoKeyUpdate()
      .execute();
    if (orders.some((o) => inProgress(o.state))) throw new AppError('erasure_order_in_progress', 409);
    if (!orders.length) return undefined;
    for (const order of orders) await eraseOrder(tx, order);
    // the customer's space: its sessions and sign-in links carry the address (they open nothing once its orders are gone)
    const address = email.trim().toLowerCase();
    await tx.deleteFrom('account_sessions').where('email', '=', address).execute();
    await tx.deleteFrom('account_sign_in_links').where('email', '=', address).execute();
    const ids = orders.map((o) => o.id);
    const invoices = await applyAccountingRule(tx, ids);
    const optedOut = await tx.selectFrom('contact_opt_outs').select('email').where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
    // what stays of these orders: only the items that apply to them
    const applies: Record<KeptItem['key'], boolean> = {
      invoices: invoices > 0,
      contract: orders.some((o) => o.paid_at),
      payments: orders.some((o) => o.paid_at),
      domain: orders.some((o) => o.registrar_domain_id),
      opt_out: !!optedOut,
    };
    const kept = keptIn(opts.locale).filter((k) => applies[k.key]);
    const at = await recordErasure(
      tx,
      hash,
      opts.reason,
      ids,
      kept.map((k) => k.key),
    );
    return { erasedAt: at, orders: ids.length, kept };
  });
  if (result) {
    deps.log.info({ event: 'personal_data_erased', reason: opts.reason, orders: result.orders }, 'personal data erased');
    return { ...result, erased: ERASED[opts.locale], alreadyErased: false };
  }
  // nothing left: the answer of the erasure that did it
  return (
    (await previousErasure(deps, { hash }, opts.locale)) ?? { erasedAt: new Date(), orders: 0, erased: ERASED[opts.locale], kept: [], alreadyErased: true }
  );
}

/** The latest erasure of an address (by its hash) or of an order, as it was answered. */
export async function previousErasure(deps: Deps, of: { hash?: string; orderId?: string }, locale: Locale): Promise<Erasure | undefined> {
  let q = deps.db.selectFrom('personal_data_erasures').select(['at', 'orders', 'kept']);
  q = of.hash ? q.where('email_sha256', '=', of.hash) : q.where(sql<boolean>`order_ids @> array[${of.orderId!}]::uuid[]`);
  const row = await q.orderBy('at', 'desc').limit(1).executeTakeFirst();
  if (!row) return undefined;
  const keys = new Set(row.kept as string[]);
  return { erasedAt: row.at, orders: row.orders, erased: ERASED[locale], kept: keptIn(locale).filter((k) => keys.has(k.key)), alreadyErased: true };
}

/** Orders looked at per round of the retention job. */
const RETENTION_BATCH = 100;
/** The CNIL's period for an opposition list: 3 years after the request. */
const OPT_OUT_YEARS = 3;

/**
 * The retention job: the personal data of orders never paid, UNPAID_ORDER_RETENTION_DAYS after they were placed, each
 * order on its own (its address may have other, live orders); and "do not contact me" requests past three years.
 */
export async function eraseExpiredData(deps: Deps, now = new Date()): Promise<number> {
  const { db, config } = deps;
  const before = new Date(now.getTime() - config.UNPAID_ORDER_RETENTION_DAYS * 86_400_000);
  let erased = 0;
  for (;;) {
    const due = await db
      .selectFrom('orders')
      .select('id')
      .where('paid_at', 'is', null)
      .where('erased_at', 'is', null)
      .where('created_at', '<', before)
      .orderBy('created_at')
      .limit(RETENTION_BATCH)
      .execute();
    let round = 0;
    for (const { id } of due) {
      const done = await db.transaction().execute(async (tx) => {
        const order = await tx
          .selectFrom('orders')
          .select(['id', 'state', 'email'])
          .where('id', '=', id)
          .where('erased_at', 'is', null)
          .where('paid_at', 'is', null)
          .forNoKeyUpdate()
          .executeTakeFirst();
        // paid meanwhile, or erased by its customer: not this job's any more
        if (!order || !(isUnpaid(order.state) || order.state === 'cancelled')) return false;
        await eraseOrder(tx, order);
        await applyAccountingRule(tx, [order.id]);
        await recordErasure(tx, emailHash(order.email), 'retention', [order.id], []);
        return true;
      });
      if (done) round++;
    }
    erased += round;
    // a full batch with nothing erasable in it would come back the same: stop
    if (due.length < RETENTION_BATCH || round === 0) break;
  }
  const optOuts = await db
    .deleteFrom('contact_opt_outs')
    .where('at', '<', new Date(now.getTime() - OPT_OUT_YEARS * 365 * 86_400_000))
    .executeTakeFirst();
  if (erased || Number(optOuts.numDeletedRows)) {
    deps.log.info({ event: 'retention_erased', orders: erased, optOuts: Number(optOuts.numDeletedRows) }, 'personal data past its retention period erased');
  }
  return erased;
}

/** The retention job exists once across all workers (unsafe_dedupe leaves a queued or running one alone). */
export async function ensureRetentionJob(deps: Deps): Promise<void> {
  await enqueue(deps.db, 'erase_expired_data', {}, { mode: 'unsafe_dedupe', runAt: new Date(Date.now() + deps.config.RETENTION_SCAN_SECONDS * 1000) });
}
