// A renewal still unpaid past the registrar's own grace period: the name is in redemption, and domains.reactivate
// restores it at the registrar's reactivation price (users.getPricing ActionName=REACTIVATE), dearer than a renewal.
// The attempt is repriced once, before the link that asks for it, so the customer sees that price before paying; a
// payment of the old amount is refunded by settleRenewal, never kept for a dearer restore.
// A premium name's restore: domains.check quotes it a PremiumRestorePrice beside its PremiumRenewalPrice
// (namecheap.com/support/api/methods/domains/check), and a name in redemption comes back "at a redemption fee ... plus
// its regular renewal cost" (knowledgebase 9916/2207). Namecheap does not say whether a premium reactivation's
// PremiumPrice (methods/domains/reactivate: "Reactivation price for the premium domain") includes the year: we take the
// dearer reading, restore plus premium renewal, so a restore is never sold below what it can cost.
import type { Config } from '../../config.ts';
import type { Deps } from '../../deps.ts';
import { addEvent } from '../../db/orders.ts';
import { recordProviderCall } from '../../db/provider-calls.ts';
import type { Order, Renewal, RenewalAttempt } from '../../db/schema.ts';
import { fromUsd, type Money } from '../../domain/money.ts';
import { renewalChargeCents } from './invoice.ts';
import { formatMoney } from '../../emails/i18n.ts';

const DAY_MS = 86_400_000;

/** Past the registrar's grace period on `now`: a restore from redemption. */
export function inRedemption(config: Pick<Config, 'RENEWAL_REDEMPTION_AFTER_DAYS'>, expiresAt: Date | null, now = Date.now()): boolean {
  return expiresAt !== null && now >= expiresAt.getTime() + config.RENEWAL_REDEMPTION_AFTER_DAYS * DAY_MS;
}

/**
 * The attempt as its next link asks for it: in redemption, repriced once at the registrar's reactivation price in our
 * currency (with the exchange margin) plus the service's renewal fee; otherwise as it is.
 */
export async function priceForLink(deps: Deps, attempt: RenewalAttempt, plan: Renewal, order: Order): Promise<RenewalAttempt> {
  if (attempt.redemption_usd_cents !== null || plan.state !== 'grace' || !inRedemption(deps.config, plan.expires_at)) return attempt;
  const usd = premiumRestoreUsd(order) ?? (await tldReactivatePrice(deps, order));
  const local = fromUsd(usd, deps.config.exchange);
  // no rate for the attempt's currency: the restore cannot be priced, and is not sold at a loss
  if (!local || local.currency !== attempt.currency) throw new Error(`no exchange rate from USD to ${attempt.currency}: set USD_PER_CURRENCY_UNIT`);
  const amount = local.cents + deps.config.RENEWAL_SERVICE_CENTS;
  const charge = await renewalChargeCents(deps.db, deps.config, order, amount);
  return deps.db.transaction().execute(async (tx) => {
    const repriced = await tx
      .updateTable('renewal_attempts')
      .set({ amount_cents: amount, charge_cents: charge, redemption_usd_cents: usd.cents })
      .where('id', '=', attempt.id)
      .where('redemption_usd_cents', 'is', null)
      .where('state', 'in', ['charging', 'declined'])
      .returningAll()
      .executeTakeFirst();
    if (!repriced) return tx.selectFrom('renewal_attempts').selectAll().where('id', '=', attempt.id).executeTakeFirstOrThrow();
    await addEvent(tx, order.id, 'renewal_redemption', { amount: formatMoney(charge, attempt.currency, order.locale) });
    return repriced;
  });
}

/** A premium name's restore at the registrar, US cents: its restore fee and a year at its premium renewal price. */
export function premiumRestoreUsd(order: Pick<Order, 'premium' | 'premium_renewal_usd_cents' | 'premium_restore_usd_cents'>): Money | undefined {
  if (!order.premium || order.premium_renewal_usd_cents === null || order.premium_restore_usd_cents === null) return undefined;
  return { cents: order.premium_restore_usd_cents + order.premium_renewal_usd_cents, currency: 'USD' };
}

/** A regular name's restore: the TLD's reactivation price (users.getPricing REACTIVATE). */
async function tldReactivatePrice(deps: Deps, order: Order): Promise<Money> {
  const registrar = deps.registrar.at('order', 30_000);
  return recordProviderCall(deps.db, { orderId: order.id, provider: registrar.name, operation: 'users.getPricing' }, () =>
    deps.circuits.for(registrar.name).call(() => registrar.reactivatePrice(order.domain)),
  );
}
