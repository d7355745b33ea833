// Pure rules of the yearly renewal: its price, when it is charged, which expiry reminder is due, and the consent text.
import type { Locale } from './locale.ts';
import type { PriceItem } from './pricing.ts';

/** Reminders before expiry, in days: 60, 30, 7 and the day itself (ICANN's ERRP asks for about a month and a week before). */
export const REMINDER_DAYS = [60, 30, 7, 0] as const;

/** What an order keeps of its domain's price: its first-year line, and for a premium name its quoted renewal. */
export interface RenewalBasis {
  price_items: PriceItem[];
  /** the domain's yearly renewal in our currency as the customer was told it; null/undefined: the first-year line */
  renewal_domain_cents?: number | null;
}

/** The domain's line of next year: a premium name at its registry's renewal price, any other at its yearly price. */
export function renewalDomainCents(order: RenewalBasis): number {
  return order.renewal_domain_cents ?? order.price_items.find((i) => i.code === 'domain_first_year')?.amountCents ?? 0;
}

/**
 * Next year's price: the domain at its renewal price (the catalogue's is its yearly price; a premium name renews at the
 * premium renewal price the registrar quoted, converted like its purchase) plus the service's renewal fee. Cents of the
 * order's currency, before the VAT case of the buyer is applied (src/billing/quote.ts).
 */
export function renewalPriceCents(order: RenewalBasis, serviceRenewalCents: number): number {
  return renewalDomainCents(order) + serviceRenewalCents;
}

/** The day the saved method is charged: `daysBefore` the expiry. */
export function chargeDate(expiresAt: Date, daysBefore: number): Date {
  return new Date(expiresAt.getTime() - daysBefore * 86_400_000);
}

/** The version of the consent text below; a change of wording is a new version (RENEWAL_CONSENT_VERSION). */
export function consentText(locale: Locale, priceLabel: string, daysBefore: number): string {
  return locale === 'fr'
    ? `Renouvellement automatique : en payant par carte, vous acceptez que cette carte soit enregistrée et débitée chaque année de ${priceLabel} ${daysBefore} jours avant l’expiration du nom de domaine, après un rappel par e-mail. Payé autrement (prélèvement SEPA), le renouvellement se paie par un lien envoyé par e-mail. Vous pouvez le désactiver à tout moment depuis votre page de suivi.`
    : `Automatic renewal: by paying by card, you agree that this card is saved and charged ${priceLabel} each year ${daysBefore} days before the domain name expires, after an email reminder. Paid another way (SEPA Debit), the renewal is paid by a link sent by email. You can turn it off at any time from your tracking page.`;
}
