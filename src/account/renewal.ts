// The yearly renewal as the customer's space shows it (its state in plain terms, the date, next year's price with VAT
// as its invoice will tax it, the saved method's brand and last digits) and the auto-renewal switch of an own order.
import type { Deps } from '../deps.ts';
import type { Order, Renewal } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { sql } from 'kysely';
import { setAutoRenew } from '../workflow/renewals/plan.ts';
import { renewalTax } from '../workflow/renewals/invoice.ts';
import { shownMethodOf } from '../domain/payment-method.ts';

/** What the customer reads of a plan's state: a charge under way or paid, a declined one in dunning, the grace period, … */
export type AccountRenewalState = 'scheduled' | 'off' | 'charging' | 'charged' | 'dunning' | 'grace' | 'expired' | 'transferred';

export function accountRenewalState(r: Pick<Renewal, 'state' | 'auto_renew'>): AccountRenewalState | undefined {
  switch (r.state) {
    case 'pending':
      return undefined;
    case 'scheduled':
      return r.auto_renew ? 'scheduled' : 'off';
    case 'paid':
      return 'charged';
    case 'lost':
      return 'expired';
    case 'gone':
      return 'transferred';
    default:
      return r.state;
  }
}

/** Every plan of these orders, by order id (one query for the whole space). */
export async function renewalsOf(deps: Deps, orderIds: string[]): Promise<Map<string, Renewal>> {
  if (!orderIds.length) return new Map();
  const rows = await deps.db.selectFrom('renewals').selectAll().where('order_id', 'in', orderIds).execute();
  return new Map(rows.map((r) => [r.order_id, r]));
}

/** The space's renewal block of one order; null before delivery (nothing is planned yet). */
export async function accountRenewal(deps: Deps, order: Order, r: Renewal | undefined) {
  const state = r && accountRenewalState(r);
  if (!r || !state || !r.expires_at) return null;
  // a renewal under way asks for its attempt's amount: in redemption, the registrar's restore price
  const open = OPEN_STATES.has(r.state)
    ? await deps.db
        .selectFrom('renewal_attempts')
        .select(['amount_cents', 'charge_cents', 'redemption_usd_cents'])
        .where('order_id', '=', order.id)
        .where('from_expiry', '=', sql<Date>`(${r.expires_at}::timestamptz at time zone 'UTC')::date`)
        .where('state', 'in', ['charging', 'declined'])
        .executeTakeFirst()
    : undefined;
  const amount = open?.amount_cents ?? r.price_cents;
  const tax = amount === null ? undefined : await renewalTax(deps.db, deps.config, order, amount);
  // the figure the charge takes (recorded with the plan or the attempt), which is the invoice's total with VAT
  const charged = (open ? open.charge_cents : r.charge_cents) ?? tax?.totalInclVatCents;
  return {
    state,
    autoRenew: r.auto_renew,
    expiresAt: r.expires_at,
    // the day the saved method is charged while that is still ahead; otherwise the registration's own expiry
    date: r.auto_renew && r.state === 'scheduled' && r.charge_at ? r.charge_at : r.expires_at,
    price: tax && charged !== undefined ? { cents: charged, currency: r.currency } : null,
    vat: tax ? { cents: tax.vatCents, rateBp: tax.rateBp } : null,
    redemption: open?.redemption_usd_cents != null,
  };
}

const OPEN_STATES = new Set<Renewal['state']>(['charging', 'dunning', 'grace']);

/** Brand and last digits, or PayPal and the masked email, as the renewals module recorded them (never a number or a reference). */
export const savedMethodOf = (r: Renewal | undefined) => shownMethodOf(r);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The switch from the space: only for an order of the signed-in address; any other id is not found, whoever holds it. */
export async function setOwnAutoRenew(deps: Deps, email: string, orderId: string, on: boolean) {
  const order = UUID.test(orderId)
    ? await deps.db.selectFrom('orders').selectAll().where('id', '=', orderId).where(sql<boolean>`lower(email) = ${email.toLowerCase()}`).executeTakeFirst()
    : undefined;
  if (!order) throw new AppError('order_not_found', 404);
  // before delivery nothing is planned: the choice made with the payment stands until then
  const before = (await renewalsOf(deps, [order.id])).get(order.id);
  if (!before || !accountRenewalState(before)) throw new AppError('renewal_not_found', 404);
  await setAutoRenew(deps.db, deps.config, order.id, on);
  const plan = (await renewalsOf(deps, [order.id])).get(order.id);
  return { renewal: (await accountRenewal(deps, order, plan))!, savedPaymentMethod: savedMethodOf(plan) };
}
