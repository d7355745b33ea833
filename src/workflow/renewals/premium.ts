// A premium name's renewal at the registrar: the PremiumPrice it confirms, and a price now above what the customer pays
// for the domain, which goes to an operator (renew at a loss, or refund) instead of being charged or renewed.
import type { Deps } from '../../deps.ts';
import { addEvent } from '../../db/orders.ts';
import type { Order, RenewalAttempt } from '../../db/schema.ts';
import { fromUsd } from '../../domain/money.ts';

/**
 * The PremiumPrice a premium name's renewal confirms (namecheap.com/support/api/methods/domains/renew: "Renewal price
 * for the premium domain"; .../reactivate: "Reactivation price"), US cents; undefined for a regular name, which sends
 * none. Reactivated from redemption: the restore the attempt was repriced at (redemption.ts); else a year's renewal.
 */
export function premiumPriceOf(
  order: Pick<Order, 'premium' | 'premium_renewal_usd_cents'>,
  attempt: Pick<RenewalAttempt, 'redemption_usd_cents'>,
  expired: boolean,
): number | undefined {
  if (!order.premium || order.premium_renewal_usd_cents === null) return undefined;
  return expired && attempt.redemption_usd_cents !== null ? attempt.redemption_usd_cents : order.premium_renewal_usd_cents;
}

/** The registrar's price in our currency above what the attempt charged for the domain: what it is, else undefined. */
export function premiumRose(deps: Deps, order: Order, attempt: RenewalAttempt, usdCents: number) {
  const local = fromUsd({ cents: usdCents, currency: 'USD' }, deps.config.exchange);
  // the domain's share of what the customer paid: the attempt's amount without the service's renewal fee
  const paidForDomain = attempt.amount_cents - deps.config.RENEWAL_SERVICE_CENTS;
  if (local && local.currency === order.currency && local.cents <= paidForDomain) return undefined;
  return { reason: 'premium_price_rose', sentUsdCents: usdCents, priceCents: local?.cents ?? null, paidCents: paidForDomain };
}

/**
 * What a premium name's renewal sends the registrar, and whether it must wait for an operator instead: its price now
 * above what the attempt asks for the domain, or unknown (an order placed before the prices were kept). {} for a regular name.
 */
export function premiumRenewal(deps: Deps, order: Order, attempt: RenewalAttempt, expired: boolean): { usdCents?: number; held?: Record<string, unknown> } {
  if (!order.premium) return {};
  const usdCents = premiumPriceOf(order, attempt, expired);
  if (usdCents === undefined) return { held: { reason: 'premium_price_unknown' } };
  const rose = premiumRose(deps, order, attempt, usdCents);
  return rose ? { usdCents, held: rose } : { usdCents };
}

/**
 * A premium renewal the registrar would sell dearer than the customer pays: not charged (before the charge) or not
 * renewed (paid), the attempt left as it is, the operators told (renew at a loss, or refund). `paid` goes into the
 * hold's event with its reason.
 */
export async function holdForOperator(deps: Deps, order: Order, attemptId: string, paid: boolean, data: Record<string, unknown>): Promise<string> {
  const held = { ...data, paid };
  await deps.db.transaction().execute((tx) => addEvent(tx, order.id, 'renewal_held', held));
  deps.log.error({ event: 'renewal_held', orderId: order.id, attemptId, ...held }, 'premium renewal not covered by its price: renew at a loss or refund');
  return 'held';
}
