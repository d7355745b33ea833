// The registrar's renewal of a paid attempt, exactly once: Namecheap keeps no idempotency key for domains.renew, so
// every run reads the registration's expiry first; an expiry a year past the one the attempt renews from means an
// earlier run renewed (its answer lost, its worker killed), and that renewal is recorded instead of a second one.
import type { Deps } from '../../deps.ts';
import { addEvent, findOrderById } from '../../db/orders.ts';
import { recordProviderCall } from '../../db/provider-calls.ts';
import { queueEmail } from '../../emails/outbox.ts';
import { renewedEmail } from '../../emails/renewal.ts';
import type { DomainRenewal } from '../../providers/registrar/index.ts';
import type { RenewalAttempt } from '../../db/schema.ts';
import { sql } from 'kysely';
import { ProviderError } from '../../errors.ts';
import { recordTransferredOut } from '../../account/transfer.ts';
import { refundDepartedRenewal } from './departed.ts';
import { enqueue } from '../jobs/enqueue.ts';
import { comeBackIn, type ComeBack } from '../jobs/run.ts';
import { renewalView } from './charge.ts';
import { chargeOf } from './invoice.ts';
import { nextYear } from './plan.ts';
import { holdForOperator, premiumRenewal } from './premium.ts';

const DAY_MS = 86_400_000;
/** An expiry this far past the attempt's own is a renewal already made (a year, give or take the registry's rounding). */
const RENEWED_AFTER_DAYS = 300;

/**
 * How long a run holds the attempt: longer than the renewal's one registrar call can take (the client's 15 s timeout;
 * it is sent without waiting for the budget, so it leaves as soon as the lease is taken again). A second run (the job
 * handed to another worker while this one was frozen past its heartbeat) waits for it instead of reading an expiry the
 * first run is about to move; a run killed mid-call holds the renewal back only this long.
 */
const LEASE_MS = 20_000;

/** The attempt held for this run until LEASE_MS from now, if no other run holds it (`held` is the lease's current end). */
async function takeLease(deps: Deps, attemptId: string, held: Date | null): Promise<Date | undefined> {
  const row = await deps.db
    .updateTable('renewal_attempts')
    .set({ registering_until: sql<Date>`date_trunc('milliseconds', now() + make_interval(secs => ${LEASE_MS / 1000}))` })
    .where('id', '=', attemptId)
    .where('state', '=', 'paid')
    .where((eb) => (held ? eb('registering_until', '=', held) : eb.or([eb('registering_until', 'is', null), eb('registering_until', '<=', sql<Date>`now()`)])))
    .returning('registering_until')
    .executeTakeFirst();
  return row?.registering_until ?? undefined;
}

/** The renewal_register job. Never renews an attempt that is not paid; one run at a time renews it. */
export async function renewAtRegistrar(deps: Deps, attemptId: string): Promise<string | ComeBack> {
  const attempt = await deps.db.selectFrom('renewal_attempts').selectAll().where('id', '=', attemptId).executeTakeFirst();
  if (!attempt || attempt.state === 'renewed') return 'already';
  if (attempt.state !== 'paid' || !attempt.payment_ref) return 'not_paid';
  const lease = await takeLease(deps, attemptId, null);
  if (!lease) {
    const other = await deps.db.selectFrom('renewal_attempts').select(['state', 'registering_until']).where('id', '=', attemptId).executeTakeFirst();
    if (other?.state !== 'paid') return other?.state === 'renewed' ? 'already' : 'not_paid';
    deps.log.info({ event: 'renewal_register_busy', attemptId }, 'another run is renewing this attempt: coming back after its lease');
    return comeBackIn(Math.max(1_000, (other.registering_until?.getTime() ?? Date.now()) - Date.now() + 1_000));
  }
  const held = { until: lease };
  try {
    return await renewHeld(deps, attempt, held);
  } finally {
    // the run is over, whatever its outcome: the next one need not wait (a killed run's lease runs out on its own)
    await deps.db
      .updateTable('renewal_attempts')
      .set({ registering_until: null })
      .where('id', '=', attemptId)
      .where('registering_until', '=', held.until)
      .execute();
  }
}

async function renewHeld(deps: Deps, attempt: RenewalAttempt, held: { until: Date }): Promise<string> {
  const attemptId = attempt.id;
  const order = (await findOrderById(deps.db, attempt.order_id))!;
  // a paid renewal spends the registrar's budget as a purchase does
  const registrar = deps.registrar.at('order', 30_000);
  const call = <T>(operation: string, fn: () => Promise<T>) =>
    recordProviderCall(deps.db, { orderId: order.id, provider: registrar.name, operation }, () => deps.circuits.for(registrar.name).call(fn));

  const from = new Date(`${attempt.from_expiry instanceof Date ? attempt.from_expiry.toISOString().slice(0, 10) : attempt.from_expiry}T00:00:00Z`);
  let info: Awaited<ReturnType<typeof registrar.getInfo>>;
  try {
    info = await call('domains.getInfo', () => registrar.getInfo(order.domain));
  } catch (err) {
    // getInfo's "Domain not found" / "not associated with your account": the name left us (transferred out)
    if (!(err instanceof ProviderError && (err.code === 'not_owner' || err.code === 'domain_not_found'))) throw err;
    await recordTransferredOut(deps, order.id);
    // the payment was taken for a name no longer ours: it goes back, once
    await refundDepartedRenewal(deps, attemptId);
    return 'transferred_out';
  }
  const current = info.expiresAt ? new Date(`${info.expiresAt}T00:00:00Z`) : undefined;
  let renewal: DomainRenewal;
  let expiresAt: Date;
  if (current && current.getTime() - from.getTime() >= RENEWED_AFTER_DAYS * DAY_MS) {
    renewal = { domain: order.domain };
    expiresAt = current;
  } else {
    // past its expiry the name is renewed by reactivation (renew refuses it: 2020166), within the registrar's 30 days
    const expired = current !== undefined && current.getTime() + DAY_MS <= Date.now();
    const { usdCents: premiumUsd, held: hold } = premiumRenewal(deps, order, attempt, expired);
    if (hold) return holdForOperator(deps, order, attempt.id, true, hold);
    // the lease taken again right before sending: a run that lost it (frozen past it) sends nothing
    const kept = await takeLease(deps, attemptId, held.until);
    if (!kept) throw new ProviderError(registrar.name, 'rate_limited', `${order.domain}: renewal lease lost`, true, LEASE_MS);
    held.until = kept;
    // no wait for the budget between the lease and the call: a spent budget (or a 405) is a retry, nothing sent
    const renewer = deps.registrar.at('order', 0);
    try {
      renewal = await call(expired ? 'domains.reactivate' : 'domains.renew', () =>
        expired ? renewer.reactivate(order.domain, 1, premiumUsd) : renewer.renew(order.domain, 1, premiumUsd),
      );
    } catch (err) {
      // a premium name the registrar refuses at the price sent (its registry re-priced it): nothing was bought, and
      // renewing dearer than the customer paid is an operator's decision, not the job's
      if (premiumUsd === undefined || !(err instanceof ProviderError) || err.retryable) throw err;
      return holdForOperator(deps, order, attempt.id, true, { reason: err.code, sentUsdCents: premiumUsd, message: err.message });
    }
    const after = renewal.expiresAt ?? (await call('domains.getInfo', () => registrar.getInfo(order.domain))).expiresAt;
    expiresAt = new Date(`${after}T00:00:00Z`);
  }
  const wasGrace = await deps.db.transaction().execute(async (tx) => {
    const moved = await tx
      .updateTable('renewal_attempts')
      .set({
        state: 'renewed',
        renewed_at: new Date(),
        new_expiry: expiresAt,
        registrar_order_id: renewal.orderId ?? null,
        registrar_tx_id: renewal.transactionId ?? null,
        registrar_usd_cents: renewal.chargedAmountCents ?? null,
      })
      .where('id', '=', attempt.id)
      .where('state', '=', 'paid')
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) return undefined;
    const plan = await tx.selectFrom('renewals').selectAll().where('order_id', '=', order.id).forUpdate().executeTakeFirstOrThrow();
    await tx.updateTable('renewals').set(nextYear(deps.config, expiresAt)).where('order_id', '=', order.id).execute();
    // the monitor watches the new expiry, and again if the lapse had stopped it
    await tx.updateTable('monitors').set({ domain_expires_at: expiresAt, enabled: true }).where('order_id', '=', order.id).execute();
    await addEvent(tx, order.id, 'renewal_renewed', { expiresAt: expiresAt.toISOString(), registrarOrderId: renewal.orderId ?? null });
    await queueEmail(tx, {
      orderId: order.id,
      kind: 'renewed',
      dedupeKey: `renewed:${attempt.id}`,
      to: order.email,
      locale: order.locale,
      rendered: renewedEmail({ ...renewalView(deps, order, plan), expiresAt, priceCents: chargeOf(attempt) }, order.locale),
    });
    // paid after the expiry: the grace period's notice page was up, the site goes back
    if (attempt.paid_at && attempt.paid_at.getTime() >= from.getTime()) {
      await enqueue(tx, 'renewal_restore', { orderId: order.id });
      return true;
    }
    return false;
  });
  deps.log.info({ event: 'renewal_renewed', orderId: order.id, expiresAt, restore: wasGrace }, 'domain renewed');
  return wasGrace === undefined ? 'already' : 'renewed';
}
