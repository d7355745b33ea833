// When a step cannot succeed: offer other names if the domain was taken, otherwise compensate and refund, and tell the customer.
import { holderOf } from '../db/holders.ts';
import { eligibleTlds } from '../domain/tld-rules.ts';
import type { Deps } from '../deps.ts';
import { addEvent, findOrderById, lockOrder, transition } from '../db/orders.ts';
import { recordProviderCall } from '../db/provider-calls.ts';
import { parseDomainName } from '../domain/domain-name.ts';
import type { OrderState } from '../domain/order-state.ts';
import { queueEmail } from '../emails/outbox.ts';
import { renderOrderEmail } from '../emails/order-emails.ts';
import type { RefundReason } from '../emails/refunded.ts';
import { enqueue } from './jobs/enqueue.ts';
import { customerLinks } from './links.ts';
import { pipeline } from './pipeline.ts';
import { releaseDomain } from './steps/register-domain.ts';
import { scheduleStep } from './schedule.ts';
import { askSatisfaction } from './satisfaction.ts';
import { creditRefund } from '../billing/issue.ts';
import { ProviderError } from '../errors.ts';

/** The refund email's reason: the name was taken (whatever the step), else the failed step's (src/workflow/pipeline.ts). */
function refundReason(failureCode: string | null): RefundReason {
  const [step, code] = (failureCode ?? 'other:other').split(':');
  if (code === 'domain_unavailable' || code === 'domain_choice_expired') return 'domain_unavailable';
  if (code === 'alternatives_unavailable') return 'alternatives_unavailable';
  return pipeline.find((p) => p.step.name === step)?.refundReason ?? 'other';
}

export async function failOrder(deps: Deps, orderId: string, step: string, code: string, data: Record<string, unknown> = {}): Promise<void> {
  if (code === 'domain_unavailable' && step === 'register_domain') {
    const outcome = await offerOtherNames(deps, orderId, 1);
    if (outcome !== 'none') return;
  }
  await startRefund(deps, orderId, step, code, data);
}

/**
 * The offer_other_names job: the search for other names tried again. An order waiting for it stays in
 * registering_domain with no current step (nothing else leaves it so), and its job is what moves it.
 */
export async function retryOfferOtherNames(deps: Deps, orderId: string, attempt: number): Promise<void> {
  const order = await findOrderById(deps.db, orderId);
  if (order?.state !== 'registering_domain' || order.current_step !== null) return;
  if ((await offerOtherNames(deps, orderId, attempt)) === 'none') await startRefund(deps, orderId, 'register_domain', 'domain_unavailable');
}

/** Move the order to refunding and enqueue the refund, in one transaction. */
export async function startRefund(deps: Deps, orderId: string, step: string, code: string, data: Record<string, unknown> = {}): Promise<boolean> {
  return deps.db.transaction().execute(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order || !(await transition(tx, order, 'refunding'))) return false;
    await tx
      .updateTable('orders')
      .set({ failure_code: `${step}:${code}`, current_step: null })
      .where('id', '=', orderId)
      .execute();
    await tx
      .updateTable('order_steps')
      .set({ state: 'failed' })
      .where('order_id', '=', orderId)
      .where('step', '=', step)
      .where('state', '<>', 'done')
      .execute();
    await addEvent(tx, orderId, 'order_failed', { step, code, ...data });
    await enqueue(tx, 'refund_order', { orderId });
    return true;
  });
}

/**
 * The name was taken between our check and our purchase: offer available names at no higher price, and wait for a choice.
 * 'none' only on a definite answer (every candidate answered for, none free at the price); when the sources could not
 * answer, the search is tried again later ('retrying'), and the order refunded once the tries or its deadline run out.
 */
async function offerOtherNames(deps: Deps, orderId: string, attempt: number): Promise<'offered' | 'none' | 'retrying' | 'refunded'> {
  const order = await findOrderById(deps.db, orderId);
  if (!order) return 'none';
  const paidForDomain = order.price_items.find((i) => i.code === 'domain_first_year')?.amountCents ?? 0;
  let alternatives: { domain: string; amountCents: number }[] = [];
  let unanswered = 0;
  try {
    const name = parseDomainName(order.domain, deps.config.tlds);
    // only names under the TLDs the order's holder may hold
    const holder = await holderOf(deps.db, orderId);
    const tlds = holder ? eligibleTlds(holder, deps.config.tlds) : deps.config.tlds;
    const found = await deps.checker.searchAlternatives(name, { businessName: order.business_name, city: order.city ?? undefined, tlds });
    unanswered = found.unanswered;
    alternatives = found.offered
      .filter((a) => a.price.amountCents <= paidForDomain)
      .slice(0, 8)
      .map((a) => ({ domain: a.domain, amountCents: a.price.amountCents }));
  } catch (err) {
    unanswered = 1;
    deps.log.warn({ event: 'alternatives_failed', orderId, err: (err as Error).message }, 'no alternatives');
  }
  if (!alternatives.length) return unanswered ? scheduleOfferRetry(deps, orderId, attempt, unanswered) : 'none';
  const hours = deps.config.DOMAIN_CHOICE_HOURS;
  const offered = await deps.db.transaction().execute(async (tx) => {
    const locked = await lockOrder(tx, orderId);
    if (!locked || !(await transition(tx, locked, 'domain_unavailable'))) return false;
    await tx
      .updateTable('orders')
      .set({ alternatives: JSON.stringify(alternatives), current_step: null })
      .where('id', '=', orderId)
      .execute();
    await tx.deleteFrom('order_steps').where('order_id', '=', orderId).where('step', '=', 'register_domain').execute();
    await addEvent(tx, orderId, 'domain_taken', { domain: locked.domain_unicode, alternatives: alternatives.length });
    await queueEmail(tx, {
      orderId,
      kind: 'domain_taken',
      dedupeKey: `domain_taken:${orderId}:${locked.domain}`,
      to: locked.email,
      locale: locked.locale,
      rendered: renderOrderEmail('domain_taken', locked, customerLinks(deps.config, locked, { alternatives })),
    });
    // no choice in time: refund (an order that is not final always has a job waiting for it)
    await enqueue(tx, 'domain_choice_timeout', { orderId, domain: locked.domain }, { runAt: new Date(Date.now() + hours * 3_600_000) });
    return true;
  });
  return offered ? 'offered' : 'none';
}

/**
 * No source could say which names are free: look again OFFER_RETRY_BASE_SECONDS × 1, 2, 4 … later, the order waiting in
 * registering_domain with no current step; after OFFER_RETRY_TRIES tries, or when the next would fall past the order's
 * deadline, refund it as names we could not check (never as "no free name", which nobody said).
 */
async function scheduleOfferRetry(deps: Deps, orderId: string, attempt: number, unanswered: number): Promise<'retrying' | 'refunded'> {
  const { OFFER_RETRY_TRIES: tries, OFFER_RETRY_BASE_SECONDS: base } = deps.config;
  const runAt = new Date(Date.now() + base * 2 ** (attempt - 1) * 1000);
  const scheduled = await deps.db.transaction().execute(async (tx) => {
    const locked = await lockOrder(tx, orderId);
    if (locked?.state !== 'registering_domain') return true;
    const pastDeadline = locked.deadline_at !== null && runAt > locked.deadline_at && attempt > 1;
    if (attempt > tries || pastDeadline) return false;
    await tx.updateTable('orders').set({ current_step: null }).where('id', '=', orderId).execute();
    await addEvent(tx, orderId, 'alternatives_retry', { attempt, unanswered, at: runAt.toISOString() });
    await enqueue(tx, 'offer_other_names', { orderId, attempt: attempt + 1 }, { runAt });
    return true;
  });
  if (scheduled) {
    deps.log.warn({ event: 'alternatives_retry', orderId, attempt, unanswered }, 'other names could not be checked; looking again later');
    return 'retrying';
  }
  await startRefund(deps, orderId, 'register_domain', 'alternatives_unavailable', { tries: attempt });
  return 'refunded';
}

/** The customer picked another name: the order resumes at the domain purchase. */
export async function chooseDomain(deps: Deps, orderId: string, domain: string): Promise<'resumed' | 'not_offered' | 'wrong_state'> {
  return deps.db.transaction().execute(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (order?.state !== 'domain_unavailable') return 'wrong_state';
    const offered = (order.alternatives ?? []) as { domain: string }[];
    if (!offered.some((a) => a.domain === domain)) return 'not_offered';
    const name = parseDomainName(domain, deps.config.tlds);
    await tx
      .updateTable('orders')
      .set({ domain: name.ascii, domain_unicode: name.unicode, alternatives: null, current_step: 'register_domain', domain_claimed: false })
      .where('id', '=', orderId)
      .execute();
    await transition(tx, order, 'registering_domain');
    await addEvent(tx, orderId, 'domain_changed', { from: order.domain_unicode, to: name.unicode });
    await scheduleStep(tx, order, 'register_domain');
    return 'resumed';
  });
}

export async function domainChoiceTimeout(deps: Deps, orderId: string, domain: string): Promise<void> {
  const order = await findOrderById(deps.db, orderId);
  if (order?.state !== 'domain_unavailable' || order.domain !== domain) return;
  await startRefundFrom(deps, orderId, 'domain_unavailable', 'domain_choice_expired');
}

async function startRefundFrom(deps: Deps, orderId: string, from: OrderState, code: string) {
  const order = await findOrderById(deps.db, orderId);
  if (order?.state === from) await startRefund(deps, orderId, 'register_domain', code);
}

/**
 * A try of the refund failed (a provider down, slow or rate-limited): the timeline says so, then the job retries as its
 * policy says, so a refund that waits on a provider is never silent.
 */
export async function noteRefundDelay(deps: Deps, orderId: string, err: unknown): Promise<never> {
  const code = err instanceof ProviderError ? err.code : 'unexpected_error';
  const provider = err instanceof ProviderError ? err.provider : null;
  // the database may be the thing that is down: the job's retry does not depend on this note
  await addEvent(deps.db, orderId, 'refund_delayed', { code, provider }).catch(() => {});
  throw err;
}

/**
 * The refund_order job: undo what can be undone (in reverse order), refund the payment once, tell the customer.
 * The order's refund_id, not the provider's memory of the idempotency key, is what prevents a second refund.
 */
export async function refundOrder(deps: Deps, orderId: string): Promise<void> {
  const { db, config, log } = deps;
  let order = await findOrderById(db, orderId);
  if (order?.state !== 'refunding') return;
  // what a step did unrecorded goes on the order's record first, so its compensation undoes it too
  for (const def of pipeline) await def.step.recover?.(deps, order);
  const done = await db.selectFrom('order_steps').selectAll().where('order_id', '=', orderId).where('state', '=', 'done').execute();
  for (const def of [...pipeline].reverse()) {
    const row = done.find((d) => d.step === def.step.name);
    if (!row || !def.step.compensate || !row.compensation) continue;
    await def.step.compensate(
      {
        deps,
        order,
        attempt: 1,
        idempotencyKey: `order:${orderId}:${def.step.name}:compensate`,
        startedAt: new Date(),
        call: (p, op, fn) => recordProviderCall(db, { orderId, provider: p, operation: op }, fn),
      },
      row.compensation,
    );
    await db.updateTable('order_steps').set({ state: 'compensated' }).where('order_id', '=', orderId).where('step', '=', def.step.name).execute();
  }
  if (!order.refund_id && order.payment_ref) {
    const provider = deps.payments[order.payment_provider];
    const refund = await recordProviderCall(db, { orderId, provider: provider.name, operation: 'refund' }, () =>
      provider.refund({
        paymentRef: order!.payment_ref!,
        amountCents: order!.paid_cents ?? order!.total_cents,
        currency: order!.currency,
        idempotencyKey: `order:${orderId}:refund`,
        reason: order!.failure_code ?? undefined,
      }),
    );
    // the refund and its credit note are recorded together
    await db.transaction().execute(async (tx) => {
      const locked = (await lockOrder(tx, orderId))!;
      await tx.updateTable('orders').set({ refund_id: refund.refundId }).where('id', '=', orderId).where('refund_id', 'is', null).execute();
      await creditRefund(tx, locked, { ref: refund.refundId, provider: locked.payment_provider, refundedAt: new Date(), reason: locked.failure_code });
    });
    order = (await findOrderById(db, orderId))!;
  }
  await releaseDomain(db, orderId);
  await db.transaction().execute(async (tx) => {
    const locked = await lockOrder(tx, orderId);
    if (!locked || !(await transition(tx, locked, 'refunded'))) return;
    const amount = locked.paid_cents ?? locked.total_cents;
    await addEvent(tx, orderId, 'refunded', { amountCents: amount, currency: locked.currency });
    await queueEmail(tx, {
      orderId,
      kind: 'refunded',
      dedupeKey: `refunded:${orderId}`,
      to: locked.email,
      locale: locked.locale,
      rendered: renderOrderEmail('refunded', locked, customerLinks(config, locked, { refundCents: amount, refundReason: refundReason(locked.failure_code) })),
    });
    // a failure is part of the figure: the refund email asks "Are you satisfied?" too
    await askSatisfaction(tx, orderId, 'refunded');
  });
  log.info({ event: 'order_refunded', orderId, domain: order.domain }, 'order refunded');
}
