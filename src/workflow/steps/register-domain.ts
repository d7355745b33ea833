// Phase 2: buy the domain at the registrar, once; the order's own record, not the registrar's memory, prevents a second purchase.
import { sql } from 'kysely';
import { getPublicSuffix } from 'tldts';
import { CallNotSent, ProviderError } from '../../errors.ts';
import type { Config } from '../../config.ts';
import type { Deps } from '../../deps.ts';
import type { Contact, RegistrarCheck } from '../../providers/registrar/index.ts';
import type { Database } from '../../db/database.ts';
import type { Order } from '../../db/schema.ts';
import { addEvent } from '../../db/orders.ts';
import { holderOf } from '../../db/holders.ts';
import { recordProviderCall } from '../../db/provider-calls.ts';
import { setStepMemo, stepState } from '../../db/steps.ts';
import { toUnicode } from '../../domain/domain-name.ts';
import type { Holder } from '../../domain/holder.ts';
import { fromUsd } from '../../domain/money.ts';
import { idnOf, registrarAttributes, tldRule } from '../../domain/tld-rules.ts';
import type { Step } from '../step.ts';

/** The operator: admin, tech and billing contact of every domain (REGISTRAR_CONTACT_*). */
export function operatorContact(c: Config): Contact {
  return {
    firstName: c.REGISTRAR_CONTACT_FIRST_NAME,
    lastName: c.REGISTRAR_CONTACT_LAST_NAME,
    organization: c.REGISTRAR_CONTACT_ORGANIZATION,
    address1: c.REGISTRAR_CONTACT_ADDRESS,
    city: c.REGISTRAR_CONTACT_CITY,
    stateProvince: c.REGISTRAR_CONTACT_STATE,
    postalCode: c.REGISTRAR_CONTACT_POSTAL_CODE,
    country: c.REGISTRAR_CONTACT_COUNTRY,
    phone: c.REGISTRAR_CONTACT_PHONE,
    email: c.REGISTRAR_CONTACT_EMAIL,
  };
}

/**
 * The customer's holder as the registrant. A person is registered without an organisation (AFNIC wants the
 * organisation left blank for an individual holder, Namecheap knowledgebase 9893). Namecheap requires a state or
 * province, which a French address has none of: the city stands for it.
 */
export function registrantContact(holder: Holder, orderEmail: string): Contact {
  return {
    firstName: holder.firstName,
    lastName: holder.lastName,
    ...(holder.type === 'organization' && holder.organization ? { organization: holder.organization } : {}),
    address1: holder.address1,
    ...(holder.address2 ? { address2: holder.address2 } : {}),
    city: holder.city,
    stateProvince: holder.city,
    postalCode: holder.postalCode,
    country: holder.country,
    phone: holder.phone,
    email: holder.email ?? orderEmail,
  };
}

/** How long the step waits for the registrar's word on a premium name before coming back later. */
const QUOTE_WAIT_MS = 5_000;

/** The registrar's check of one name at the orders' priority: coalesced with every other asker, or asked directly. */
async function freshQuote(deps: Deps, domain: string): Promise<RegistrarCheck> {
  const answer = deps.coalescer
    ? (await deps.coalescer.check([domain], { priority: 'order', waitMs: QUOTE_WAIT_MS })).get(domain)
    : (await deps.registrar.check([domain]))[0];
  if (!answer) throw new ProviderError(deps.registrar.name, 'rate_limited', `${domain}: no registrar check within ${QUOTE_WAIT_MS} ms`, true, 2_000);
  return answer;
}

/** The US figures of a premium name's fresh quote (none for a regular name, or one quoted without them). */
function premiumFigures(quote: RegistrarCheck) {
  if (!quote.premium || quote.premiumRenewalCents === undefined) return undefined;
  return { premium_renewal_usd_cents: quote.premiumRenewalCents, premium_restore_usd_cents: quote.premiumRestoreCents ?? null };
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
  async action({ deps, order, attempt, idempotencyKey, memo, call }) {
    if (order.registrar_domain_id) return { outcome: 'done', output: { domainId: order.registrar_domain_id, already: true } };
    const holder = await holderOf(deps.db, order.id);
    // an order has its holder from intake on; without one, nobody could be registered as the name's owner
    if (!holder) return { outcome: 'fail', code: 'holder_missing' };
    if (!(await claimDomain(deps.db, order.id))) return { outcome: 'fail', code: 'domain_unavailable', data: { reason: 'claimed_by_another_order' } };
    // the name in our account (domains.getInfo): an earlier try's purchase, recorded as this step's result
    const ourEarlierPurchase = async () => {
      const own = await call(deps.registrar.name, 'domains.getInfo', () => deps.registrar.findOwn(order.domain));
      if (!own) return undefined;
      return {
        outcome: 'done' as const,
        record: { registrar_domain_id: own.domainId },
        output: { domainId: own.domainId, already: true },
        compensation: { domain: order.domain, domainId: own.domainId },
      };
    };
    const fail = async (code: string, data?: Record<string, unknown>) => {
      await releaseDomain(deps.db, order.id);
      return { outcome: 'fail' as const, code, data };
    };
    // the registrar sells a premium name at its price of the day, converted to ours: never more than the customer paid
    const paidForDomain = order.price_items.find((i) => i.code === 'domain_first_year')?.amountCents ?? 0;
    const overPaid = (q: RegistrarCheck) => {
      const local = fromUsd({ cents: (q.premiumPriceCents ?? Number.POSITIVE_INFINITY) + (q.eapFeeCents ?? 0), currency: q.currency }, deps.config.exchange);
      return !local || local.currency !== order.currency || local.cents > paidForDomain ? (local?.cents ?? null) : undefined;
    };
    // A premium order confirms its price now; any other goes straight to create, the purchase's only call besides DNS:
    // a name re-priced as premium since the quote is refused as a regular purchase, and checked then.
    const quote: RegistrarCheck = order.premium
      ? await freshQuote(deps, order.domain)
      : { domain: order.domain, available: true, premium: false, currency: 'USD' };
    if (quote.premium) {
      const priceCents = overPaid(quote);
      if (priceCents !== undefined) return fail('premium_price_changed', { priceCents, paidCents: paidForDomain });
      // its renewal and restore as the registrar quotes them today: what its renewals will confirm (renewals/register.ts)
      const figures = premiumFigures(quote);
      if (figures) await deps.db.updateTable('orders').set(figures).where('id', '=', order.id).execute();
    }

    // a retry looks before it buys: an earlier try's purchase whose answer was lost (or whose worker was killed) is in our
    // account already, and buying again would be a second purchase request (refused, or charged where a registry allows it)
    // (unless the earlier try's purchase was held back by our own registrar budget: nothing was sent, nothing to find)
    const nothingSent = memo?.createNotSent === true;
    if (attempt > 1 && !nothingSent) {
      const earlier = await ourEarlierPurchase();
      if (earlier) return earlier;
    }
    // this try may send the purchase: a run killed from here on must not be taken for one that sent nothing
    if (nothingSent) await setStepMemo(deps.db, order.id, 'register_domain', null);

    const tld = getPublicSuffix(order.domain) ?? order.domain.slice(order.domain.indexOf('.') + 1);
    const rule = tldRule(tld);
    const label = order.domain.slice(0, -(tld.length + 1));
    const idn = idnOf(toUnicode(label), tld);
    try {
      const reg = await call(deps.registrar.name, 'domains.create', () =>
        deps.registrar.create({
          domain: order.domain,
          years: 1,
          registrant: registrantContact(holder, order.email),
          operator: operatorContact(deps.config),
          attributes: registrarAttributes(holder, tld),
          idnCode: idn.code,
          privacy: rule.privacy,
          quote,
          idempotencyKey,
        }),
      );
      return {
        outcome: 'done',
        record: { registrar_domain_id: reg.domainId },
        output: { domainId: reg.domainId, orderId: reg.orderId ?? null, chargedAmountCents: reg.chargedAmountCents ?? null },
        // a registration cannot be undone; the compensation only keeps what an operator needs
        compensation: { domain: order.domain, domainId: reg.domainId },
      };
    } catch (err) {
      // held back by our own budget before it left: the step's rate-limit retry keeps this memo, and the next run knows
      // nothing was sent
      if (err instanceof CallNotSent) await setStepMemo(deps.db, order.id, 'register_domain', { createNotSent: true });
      if (!(err instanceof ProviderError) || err.retryable) throw err;
      if (err.code === 'domain_unavailable') {
        // the live API has no idempotency key: a purchase whose answer was lost reads "not available" on the retry,
        // and ownership is the evidence that it was ours (the order step guarantees one order per name)
        return (await ourEarlierPurchase()) ?? fail('domain_unavailable', { reason: 'registrar' });
      }
      if (!quote.premium) {
        const fresh = await freshQuote(deps, order.domain);
        if (fresh.premium) return fail('premium_price_changed', { priceCents: overPaid(fresh) ?? null, paidCents: paidForDomain });
      }
      await releaseDomain(deps.db, order.id);
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
  const own = await recordProviderCall(deps.db, { orderId: order.id, provider: deps.registrar.name, operation: 'domains.getInfo' }, () =>
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
