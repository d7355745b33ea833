// Phase 2: buy the domain at the registrar, once; the order's own record, not the registrar's memory, prevents a second purchase.
import { sql } from 'kysely';
import { ProviderError } from '../../errors.ts';
import type { Config } from '../../config.ts';
import type { Deps } from '../../deps.ts';
import type { Contact } from '../../providers/registrar/index.ts';
import type { Database } from '../../db/database.ts';
import type { Order } from '../../db/schema.ts';
import { addEvent } from '../../db/orders.ts';
import { recordProviderCall } from '../../db/provider-calls.ts';
import { stepState } from '../../db/steps.ts';
import type { Step } from '../step.ts';

export function registrantContact(c: Config): Contact {
  return {
    firstName: c.REGISTRANT_FIRST_NAME,
    lastName: c.REGISTRANT_LAST_NAME,
    organization: c.REGISTRANT_ORGANIZATION,
    address1: c.REGISTRANT_ADDRESS,
    city: c.REGISTRANT_CITY,
    stateProvince: c.REGISTRANT_STATE,
    postalCode: c.REGISTRANT_POSTAL_CODE,
    country: c.REGISTRANT_COUNTRY,
    phone: c.REGISTRANT_PHONE,
    email: c.REGISTRANT_EMAIL,
  };
}

/** Claim the name for this order; false when another order already holds it. */
async function claimDomain(db: Database, orderId: string): Promise<boolean> {
  try {
    await db.updateTable('orders').set({ domain_claimed: true }).where('id', '=', orderId).execute();
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return false;
    throw err;
  }
}

export async function releaseDomain(db: Database, orderId: string): Promise<void> {
  await sql`update orders set domain_claimed = false where id = ${orderId} and registrar_domain_id is null`.execute(db);
}

export const registerDomain: Step = {
  name: 'register_domain',
  state: 'registering_domain',
  async action({ deps, order, idempotencyKey, call }) {
    if (order.registrar_domain_id) return { outcome: 'done', output: { domainId: order.registrar_domain_id, already: true } };
    if (!(await claimDomain(deps.db, order.id))) return { outcome: 'fail', code: 'domain_unavailable', data: { reason: 'claimed_by_another_order' } };
    // the registrar sells a premium name at its price of the day: never more than the customer paid for it
    const paidForDomain = order.price_items.find((i) => i.code === 'domain_first_year')?.amountCents ?? 0;
    const [quote] = await call(deps.registrar.name, 'domains.check', () => deps.registrar.check([order.domain]));
    if (quote?.available && quote.premium && (quote.premiumPriceCents ?? Infinity) > paidForDomain) {
      await releaseDomain(deps.db, order.id);
      return { outcome: 'fail', code: 'premium_price_changed', data: { priceCents: quote.premiumPriceCents ?? null, paidCents: paidForDomain } };
    }
    try {
      const reg = await call(deps.registrar.name, 'domains.create', () =>
        deps.registrar.create({ domain: order.domain, years: 1, contact: registrantContact(deps.config), idempotencyKey }),
      );
      return {
        outcome: 'done',
        record: { registrar_domain_id: reg.domainId },
        output: { domainId: reg.domainId, orderId: reg.orderId ?? null, chargedAmountCents: reg.chargedAmountCents ?? null },
        // a registration cannot be undone; the compensation only keeps what an operator needs
        compensation: { domain: order.domain, domainId: reg.domainId },
      };
    } catch (err) {
      if (err instanceof ProviderError && !err.retryable) {
        await releaseDomain(deps.db, order.id);
        if (err.code === 'domain_unavailable') return { outcome: 'fail', code: 'domain_unavailable', data: { reason: 'registrar' } };
      }
      throw err;
    }
  },
  // no compensate: a registration cannot be undone; the refund releases the name's claim (releaseDomain)
  recover: keepUnrecordedPurchase,
};

/**
 * A purchase the registrar made whose answer the order never got (lost, or its worker killed) would belong to no order:
 * before a refund the registrar is asked, and a registration found is kept on the order's record as a late result would be.
 */
async function keepUnrecordedPurchase(deps: Deps, order: Order): Promise<void> {
  if (order.registrar_domain_id) return;
  if (!(await stepState(deps.db, order.id, 'register_domain'))) return;
  const own = await recordProviderCall(deps.db, { orderId: order.id, provider: deps.registrar.name, operation: 'findOwn' }, () =>
    deps.registrar.findOwn(order.domain),
  );
  if (!own) return;
  await deps.db.transaction().execute(async (tx) => {
    await tx.updateTable('orders').set({ registrar_domain_id: own.domainId }).where('id', '=', order.id).where('registrar_domain_id', 'is', null).execute();
    await tx
      .updateTable('order_steps')
      .set({ compensation: JSON.stringify({ domain: order.domain, domainId: own.domainId }) })
      .where('order_id', '=', order.id)
      .where('step', '=', 'register_domain')
      .execute();
    await addEvent(tx, order.id, 'domain_purchase_found', { domain: order.domain_unicode, domainId: own.domainId });
  });
  deps.log.warn(
    { event: 'domain_purchase_found', orderId: order.id, domain: order.domain },
    'the registrar holds a purchase the order had not recorded; kept on its record',
  );
}
