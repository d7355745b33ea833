// Locales for customer emails: money, dates (Paris time, zone shown), durations and French punctuation spacing.
import type { Locale } from '../domain/locale.ts';
import { minorDigits, minorToUnits } from '../domain/money.ts';

/** A moment as the database or the workflow hands it over: a Date or an ISO 8601 string. */
export type Instant = Date | string;

/** An amount in the currency's smallest unit (cents for EUR), never a float. */
export interface Money {
  amountCents: number;
  currency: string;
}

const intlLocale: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

/**
 * Building an Intl formatter costs far more than using one (it loads locale data): intake renders
 * a confirmation email per request, so each formatter is built once per locale and options.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(intlLocale[locale], options)));
  return f;
}
function dateTimeFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(intlLocale[locale], options)));
  return f;
}

/** Our business runs on Paris time; every date a customer reads is in that zone, and says so. */
export const BUSINESS_TIME_ZONE = 'Europe/Paris';

/** 14900, 'EUR' → "149,00 €" (fr, with the no-break spaces Intl uses) or "€149.00" (en). */
export function formatMoney(amountCents: number, currency: string, locale: Locale): string {
  if (!Number.isInteger(amountCents)) throw new RangeError(`amount must be an integer number of cents, got ${amountCents}`);
  // "cents" means our minor unit of the currency: two digits for EUR, none for JPY, HUF or TWD (src/domain/money.ts)
  const digits = minorDigits(currency);
  return numberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    minorToUnits(amountCents, currency),
  );
}

/** "mardi 3 juin 2025 à 14:30 UTC+2" / "Tuesday, 3 June 2025 at 14:30 CEST". */
export function formatDateTime(at: Instant, locale: Locale): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${String(at)}`);
  return dateTimeFormat(locale, {
    timeZone: BUSINESS_TIME_ZONE,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(date);
}

/** "7 février 2027" / "7 February 2027": the day an instant falls on in Paris. */
export function formatDay(at: Instant, locale: Locale): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${String(at)}`);
  return dateTimeFormat(locale, { timeZone: BUSINESS_TIME_ZONE, day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

/** 4 → "4 h" (fr) / "4 hours" (en). */
export function formatHours(hours: number, locale: Locale): string {
  return numberFormat(locale, {
    style: 'unit',
    unit: 'hour',
    unitDisplay: locale === 'fr' ? 'short' : 'long',
  }).format(hours);
}

/**
 * French typography: a no-break space before « : » and inside guillemets, a narrow no-break
 * space before ; ! ?, a no-break space between a number and its unit. Copy is written with
 * ordinary spaces so it stays readable; this keeps a line from breaking before the mark.
 */
export function typeset(text: string, locale: Locale): string {
  if (locale !== 'fr') return text;
  return (
    text
      .replace(/ +([;!?])/g, '\u202f$1')
      .replace(/ +:(?=\s|$)/g, '\u00a0:')
      .replace(/« +/g, '«\u00a0')
      .replace(/ +»/g, '\u00a0»')
      // Same spaces as Intl puts in "4 h" and "149,00 €", so hand-written and formatted values match.
      .replace(/(\d) +(h|min)(?=[\s.,;:!?)]|$)/g, '$1\u202f$2')
      .replace(/(\d) +(€|%)(?=[\s.,;:!?)]|$)/g, '$1\u00a0$2')
  );
}
