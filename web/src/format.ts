// Prices, durations and clock times in the person's language and time zone (Intl, never hand-made formats).
import { minorDigits, minorToUnits } from '../../src/domain/money.ts';
import type { Locale } from './i18n.ts';

const tag = (locale: Locale) => (locale === 'fr' ? 'fr-FR' : 'en-GB');

/** An amount in our minor units of `currency` (cents; whole units for JPY, HUF, TWD): "149 €", "149,50 €", "1 500 ¥". */
export function money(cents: number, currency: string, locale: Locale): string {
  const digits = minorDigits(currency);
  const whole = cents % 10 ** digits === 0;
  return new Intl.NumberFormat(tag(locale), {
    style: 'currency',
    currency,
    minimumFractionDigits: whole ? 0 : digits,
    maximumFractionDigits: digits,
  }).format(minorToUnits(cents, currency));
}

/** "14:05", with the day in front when it is not today ("demain 14:05", "Tuesday 14:05"). */
export function clockTime(iso: string | Date, locale: Locale, now = new Date()): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  const time = new Intl.DateTimeFormat(tag(locale), { hour: '2-digit', minute: '2-digit' }).format(d);
  const dayDiff = Math.round((startOfDay(d) - startOfDay(now)) / 86_400_000);
  if (dayDiff === 0) return locale === 'fr' ? `aujourd’hui à ${time}` : `today at ${time}`;
  if (dayDiff === 1) return locale === 'fr' ? `demain à ${time}` : `tomorrow at ${time}`;
  const day = new Intl.DateTimeFormat(tag(locale), { weekday: 'long', day: 'numeric', month: 'long' }).format(d);
  return locale === 'fr' ? `${day} à ${time}` : `${day} at ${time}`;
}

/** The person's time zone, as the browser knows it ("Europe/Paris"). */
export function timeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

export function shortTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(tag(locale), { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(iso));
}

export function dateTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(tag(locale), { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
}

/**
 * "1 h 05 min", "3 min 20 s", "45 s"; with `tenths`, "0.4 s" under 10 s (statistics: a sandbox order is live in under a
 * second, and "0 s" would read as nothing measured).
 */
export function duration(seconds: number, locale: Locale, opts: { tenths?: boolean } = {}): string {
  if (opts.tenths && seconds > 0 && seconds < 9.95) {
    return `${new Intl.NumberFormat(tag(locale), { maximumFractionDigits: 1 }).format(seconds)} s`;
  }
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return sec && m < 10 ? `${m} min ${String(sec).padStart(2, '0')} s` : `${m} min`;
  return `${sec} s`;
}
