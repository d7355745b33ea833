// An order's renewal plan: the customer's choice at the first payment, the plan scheduled at delivery (expiry, price,
// charge date) with the card the first payment saved, the auto-renewal toggle, and what the customer's space shows.
import type { Deps } from '../../deps.ts';
import type { Database, Tx } from '../../db/database.ts';
import { addEvent, findOrderById } from '../../db/orders.ts';
import type { Order, Renewal } from '../../db/schema.ts';
import { chargeDate, consentText, renewalPriceCents } from '../../domain/renewal.ts';
import { defineTimelineTexts } from '../../domain/timeline.ts';
import { formatMoney } from '../../emails/i18n.ts';
import { AppError } from '../../errors.ts';
import { recordProviderCall } from '../../db/provider-calls.ts';
import { enqueue } from '../jobs/enqueue.ts';
import { chargeOf, renewalChargeCents } from './invoice.ts';
import type { Config } from '../../config.ts';
import { methodLabel, shownMethodOf, type ShownMethod } from '../../domain/payment-method.ts';
import { NO_METHOD } from './charge.ts';

const s = (v: unknown) => String(v ?? '');
const day = (v: unknown, locale: 'fr' | 'en') => (v ? new Date(String(v)).toLocaleDateString(locale === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'UTC' }) : '');

/** the method an event names: brand and digits, or PayPal and the masked email (gone once the customer's data is erased) */
const savedLabel = (d: Record<string, unknown>) =>
  methodLabel({ brand: s(d.brand), last4: s(d.last4), ...(d.payerEmail ? { payerEmail: s(d.payerEmail) } : {}) });

defineTimelineTexts({
  renewal_scheduled: {
    fr: (d) =>
      `Renouvellement prévu : le domaine expire le ${day(d.expiresAt, 'fr')}${d.autoRenew ? `, prélèvement automatique le ${day(d.chargeAt, 'fr')}` : ' (renouvellement automatique désactivé)'}.`,
    en: (d) =>
      `Renewal planned: the domain expires on ${day(d.expiresAt, 'en')}${d.autoRenew ? `, automatic charge on ${day(d.chargeAt, 'en')}` : ' (automatic renewal off)'}.`,
  },
  renewal_method_saved: {
    fr: (d) => `Moyen de paiement enregistré pour le renouvellement (${savedLabel(d)}).`,
    en: (d) => `Payment method saved for the renewal (${savedLabel(d)}).`,
  },
  renewal_method_forgotten: {
    fr: (d) => `Moyen de paiement enregistré supprimé chez ${s(d.provider) === 'paypal' ? 'PayPal' : s(d.provider)} : votre consentement est retiré.`,
    en: (d) => `Saved payment method deleted at ${s(d.provider) === 'paypal' ? 'PayPal' : s(d.provider)}: your consent is withdrawn.`,
  },
  renewal_auto_on: { fr: () => 'Renouvellement automatique activé.', en: () => 'Automatic renewal turned on.' },
  renewal_auto_off: {
    fr: (d) => `Renouvellement automatique désactivé : le site reste en ligne jusqu’au ${day(d.expiresAt, 'fr')}.`,
    en: (d) => `Automatic renewal turned off: the site stays online until ${day(d.expiresAt, 'en')}.`,
  },
  renewal_reminder: {
    fr: (d) => (Number(d.days) === 0 ? 'Rappel : le domaine expire aujourd’hui.' : `Rappel : le domaine expire dans ${s(d.days)} jours.`),
    en: (d) => (Number(d.days) === 0 ? 'Reminder: the domain expires today.' : `Reminder: the domain expires in ${s(d.days)} days.`),
  },
  renewal_charge_started: {
    fr: () => 'Renouvellement : prélèvement du moyen de paiement enregistré.',
    en: () => 'Renewal: charging the saved payment method.',
  },
  renewal_paid: {
    fr: (d) => `Renouvellement payé (${s(d.amount)}).`,
    en: (d) => `Renewal paid (${s(d.amount)}).`,
  },
  renewal_declined: {
    fr: (d) => `Paiement du renouvellement refusé (${s(d.code)}) : un lien de paiement vous est envoyé.`,
    en: (d) => `Renewal payment declined (${s(d.code)}): a payment link is on its way to you.`,
  },
  renewal_link_sent: { fr: () => 'Lien de paiement du renouvellement envoyé.', en: () => 'Renewal payment link sent.' },
  renewal_renewed: {
    fr: (d) => `Domaine renouvelé chez le registraire jusqu’au ${day(d.expiresAt, 'fr')}.`,
    en: (d) => `Domain renewed at the registrar until ${day(d.expiresAt, 'en')}.`,
  },
  renewal_grace: {
    fr: () => 'Domaine expiré sans paiement : le site affiche une page d’avis ; le renouvellement reste possible.',
    en: () => 'Domain expired unpaid: the site shows a notice page; it can still be renewed.',
  },
  renewal_redemption: {
    fr: (d) => `Domaine en rédemption chez le registraire : son rachat et son renouvellement coûtent ${s(d.amount)}.`,
    en: (d) => `Domain in redemption at the registrar: restoring and renewing it costs ${s(d.amount)}.`,
  },
  renewal_held: {
    fr: () => 'Renouvellement payé, en attente de notre équipe : le registre demande un autre prix pour ce nom premium.',
    en: () => 'Renewal paid, awaiting our team: the registry asks another price for this premium name.',
  },
  renewal_restored: { fr: () => 'Site remis en ligne après le renouvellement.', en: () => 'Site back online after the renewal.' },
  renewal_lost: {
    fr: () => 'Délai de grâce écoulé sans paiement : hébergement supprimé, surveillance arrêtée.',
    en: () => 'Grace period over unpaid: hosting removed, monitoring stopped.',
  },
  renewal_invoiced: { fr: (d) => `Facture ${s(d.number)} émise.`, en: (d) => `Invoice ${s(d.number)} issued.` },
});

/** The renewals row an order starts with (intake): the customer's choice, and their consent when it is on. */
export function initialRenewal(config: Config, order: { provider: 'stripe' | 'paypal'; currency: string; autoRenew: boolean }) {
  return {
    auto_renew: order.autoRenew,
    consent_at: order.autoRenew ? new Date() : null,
    consent_version: order.autoRenew ? config.RENEWAL_CONSENT_VERSION : null,
    provider: order.provider,
    currency: order.currency,
  };
}

/** Next year's price as the quote, the emails and the charge state it: the renewal's total with the buyer's VAT case. */
export async function renewalQuoteCents(deps: Pick<Deps, 'db' | 'config'>, order: Order): Promise<number> {
  return renewalChargeCents(deps.db, deps.config, order, renewalPriceCents(order, deps.config.RENEWAL_SERVICE_CENTS));
}

/**
 * What the first payment link asks of the provider for auto-renewal: save the method paid with, with the consent text
 * shown. Only where the provider can charge it later: Stripe, and PayPal with its vault on (PAYPAL_VAULT).
 */
export async function renewalConsentFor(deps: Deps, order: Order): Promise<{ saveForRenewal?: { consentText: string } }> {
  if (!deps.payments[order.payment_provider].offSession) return {};
  const plan = await deps.db.selectFrom('renewals').select('auto_renew').where('order_id', '=', order.id).executeTakeFirst();
  if (!plan?.auto_renew) return {};
  const price = formatMoney(await renewalQuoteCents(deps, order), order.currency, order.locale);
  return { saveForRenewal: { consentText: consentText(order.locale, price, deps.config.RENEWAL_CHARGE_DAYS_BEFORE) } };
}

/**
 * At delivery (in its transaction): the plan is scheduled from the registration's expiry (the monitor's, else a year
 * after the purchase), at next year's price; the card the first payment saved is read by its own job.
 */
export async function scheduleRenewal(tx: Tx, config: Config, order: Order): Promise<void> {
  const expiry = order.paid_at ? new Date(order.paid_at) : new Date();
  expiry.setUTCFullYear(expiry.getUTCFullYear() + 1);
  const price = renewalPriceCents(order, config.RENEWAL_SERVICE_CENTS);
  const charge = await renewalChargeCents(tx, config, order, price);
  const chargeAt = chargeDate(expiry, config.RENEWAL_CHARGE_DAYS_BEFORE);
  // an order placed before renewals existed has no row: no consent was given, so it renews by link, never charged alone
  const row = await tx
    .insertInto('renewals')
    .values({ order_id: order.id, provider: order.payment_provider, currency: order.currency, auto_renew: false })
    .onConflict((oc) => oc.column('order_id').doNothing())
    .execute()
    .then(() =>
      tx
        .updateTable('renewals')
        .set({ state: 'scheduled', expires_at: expiry, charge_at: chargeAt, price_cents: price, charge_cents: charge, updated_at: new Date() })
        .where('order_id', '=', order.id)
        .where('state', '=', 'pending')
        .returning(['auto_renew'])
        .executeTakeFirst(),
    );
  if (!row) return;
  await addEvent(tx, order.id, 'renewal_scheduled', { expiresAt: expiry.toISOString(), chargeAt: chargeAt.toISOString(), autoRenew: row.auto_renew });
  const saves = order.payment_provider === 'stripe' || config.PAYPAL_VAULT;
  if (saves && order.payment_ref) await enqueue(tx, 'renewal_setup', { orderId: order.id });
}

/**
 * The renewal_setup job: the customer and method the first payment saved, recorded for the off-session charge. A PayPal
 * token whose customer turned auto-renewal off meanwhile is recorded, then deleted at PayPal (renewal_forget).
 */
export async function recordSavedMethod(deps: Deps, orderId: string): Promise<string> {
  const order = await findOrderById(deps.db, orderId);
  const offSession = order && deps.payments[order.payment_provider].offSession;
  if (!order?.payment_ref || !offSession) return 'no_method';
  const saved = await recordProviderCall(deps.db, { orderId, provider: order.payment_provider, operation: 'retrieve_saved_method' }, () =>
    offSession.savedMethodOf(order.payment_ref!),
  );
  if (!saved) return 'none_saved';
  await deps.db.transaction().execute(async (tx) => {
    const done = await tx
      .updateTable('renewals')
      .set({
        customer_ref: saved.customerRef,
        payment_method_ref: saved.paymentMethodRef,
        card_brand: saved.brand,
        card_last4: saved.last4 ?? null,
        payer_email_masked: saved.payerEmail ?? null,
      })
      .where('order_id', '=', orderId)
      .where('payment_method_ref', 'is', null)
      .returning(['auto_renew', 'provider'])
      .executeTakeFirst();
    if (!done) return;
    await addEvent(tx, orderId, 'renewal_method_saved', { brand: saved.brand, last4: saved.last4 ?? null, payerEmail: saved.payerEmail ?? null });
    if (!done.auto_renew && done.provider === 'paypal') await enqueue(tx, 'renewal_forget', { orderId });
  });
  return 'saved';
}

/**
 * Consent to charge the saved method withdrawn (auto-renewal off, the name gone): a PayPal vault token is deleted at
 * PayPal by its own job (renewal_forget); a Stripe card stays unused on its Customer.
 */
export async function forgetSavedMethodLater(tx: Tx, orderId: string, plan: Pick<Renewal, 'provider' | 'payment_method_ref'>): Promise<void> {
  if (plan.provider === 'paypal' && plan.payment_method_ref) await enqueue(tx, 'renewal_forget', { orderId });
}

/**
 * The renewal_forget job: the customer turned auto-renewal off, so the saved method is deleted at the provider and
 * forgotten here. Not while a charge is in flight (it settles or withdraws first: the job retries), nor once the
 * customer turned it back on.
 */
export async function forgetSavedMethod(deps: Deps, orderId: string): Promise<string> {
  const plan = await deps.db.selectFrom('renewals').selectAll().where('order_id', '=', orderId).executeTakeFirst();
  if (!plan?.payment_method_ref) return 'none_saved';
  if (plan.auto_renew) return 'consent_given_again';
  if (plan.state === 'charging') throw new Error(`renewal of ${orderId} is being charged: its method is forgotten after`);
  const provider = deps.payments[plan.provider];
  if (!provider.forgetSavedMethod) return 'kept';
  const ref = plan.payment_method_ref;
  await recordProviderCall(deps.db, { orderId, provider: plan.provider, operation: 'forget_saved_method' }, () => provider.forgetSavedMethod!(ref));
  await deps.db.transaction().execute(async (tx) => {
    const done = await tx
      .updateTable('renewals')
      .set({ ...NO_METHOD, updated_at: new Date() })
      .where('order_id', '=', orderId)
      .where('payment_method_ref', '=', ref)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) > 0) await addEvent(tx, orderId, 'renewal_method_forgotten', { provider: plan.provider });
  });
  return 'forgotten';
}

/**
 * Turn auto-renewal on or off. Off: nothing is charged, the site stays until expiry and the reminders say what will
 * happen. On again: the consent is recorded anew, and a charge date already past is charged at the next scan.
 */
export async function setAutoRenew(db: Database, config: Config, orderId: string, on: boolean): Promise<RenewalSummary> {
  await db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('renewals').selectAll().where('order_id', '=', orderId).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('renewal_not_found', 404);
    if (row.state === 'lost' || row.state === 'gone') throw new AppError('renewal_closed', 409);
    if (row.auto_renew === on) return;
    await tx
      .updateTable('renewals')
      .set(
        on
          ? { auto_renew: true, consent_at: new Date(), consent_version: config.RENEWAL_CONSENT_VERSION, updated_at: new Date() }
          : { auto_renew: false, updated_at: new Date() },
      )
      .where('order_id', '=', orderId)
      .execute();
    await addEvent(tx, orderId, on ? 'renewal_auto_on' : 'renewal_auto_off', { expiresAt: row.expires_at?.toISOString() ?? null });
    if (!on) await forgetSavedMethodLater(tx, orderId, row);
  });
  return (await renewalSummaryForOrder(db, orderId))!;
}

export interface RenewalSummary {
  state: Renewal['state'];
  autoRenew: boolean;
  /** the registration's expiry */
  expiresAt: string | null;
  /** when the saved method is charged (auto-renewal on, not yet charged) */
  date: string | null;
  price: { amountCents: number; currency: string } | null;
  savedPaymentMethod: ShownMethod | null;
}

/** What the customer's space and the tracking page show of an order's renewal; undefined when it has none. */
export async function renewalSummaryForOrder(db: Database | Tx, orderId: string): Promise<RenewalSummary | undefined> {
  const r = await db.selectFrom('renewals').selectAll().where('order_id', '=', orderId).executeTakeFirst();
  if (!r) return undefined;
  return {
    state: r.state,
    autoRenew: r.auto_renew,
    expiresAt: r.expires_at?.toISOString() ?? null,
    date: r.auto_renew && r.state === 'scheduled' ? (r.charge_at?.toISOString() ?? null) : null,
    price: r.price_cents === null ? null : { amountCents: chargeOf(r), currency: r.currency },
    savedPaymentMethod: shownMethodOf(r),
  };
}

/** The renewal plan after a renewal: the new expiry, its charge date, reminders and dunning starting afresh. */
export function nextYear(config: Config, newExpiry: Date) {
  return {
    state: 'scheduled' as const,
    expires_at: newExpiry,
    charge_at: chargeDate(newExpiry, config.RENEWAL_CHARGE_DAYS_BEFORE),
    reminded_days: null,
    dunning_next_at: null,
    updated_at: new Date(),
  };
}
