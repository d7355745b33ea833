// What the hosted pages (Stripe's checkout, PayPal's approval) share: escaping, the page language and the page frame.
import type { Locale } from '../../domain/locale.ts';

/** The pages are written in the languages our customers read. */
export type Lang = Locale;

/** French for any French tag ("fr", "fr-FR", "fr-CA"), English otherwise: the two languages the pages are written in. */
export function langOf(tag: string | undefined): Lang {
  return tag?.trim().toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** Amounts as the hosted pages show them: the currency's own symbol and decimals, written the language's way. */
export function currencyFormat(currency: string, lang: Lang): Intl.NumberFormat {
  return new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-US', { style: 'currency', currency: currency.toUpperCase() });
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A whole page: `title` is text (escaped here), `css` and `body` are already markup. */
export function htmlPage(p: { lang: Lang; title: string; provider: string; css: string; body: string }): string {
  return `<!doctype html>
<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.title)} · ${p.provider} sandbox</title>
<style>
${p.css}
</style>
</head>
<body><main>${p.body}</main></body>
</html>`;
}
