// Our own legal pages, served as plain HTML that works without JavaScript (a link in an email, a print, a search
// engine): the terms of sale and the privacy policy (a version, its date, the other versions), and the legal notice.
import type { Locale } from '../domain/locale.ts';
import { BRAND, escapeHtml } from '../emails/layout.ts';
import { typeset } from '../emails/i18n.ts';
import { legalPath, type LegalKind } from '../legal/documents.ts';
import { hostLines, sellerLines, type Host, type Seller } from '../legal/seller.ts';
import type { PublishedText } from '../legal/texts.ts';

const words = {
  fr: {
    version: (v: string) => `Version du ${v}`,
    outdated: 'Cette version n’est plus en vigueur.',
    current: 'Voir la version en vigueur',
    others: 'Versions',
    notice: 'Mentions légales',
    publisher: 'Éditeur du site',
    host: 'Hébergeur',
    director: 'Directeur de la publication : le représentant légal de la société.',
    footer: { terms: 'Conditions générales de vente', privacy: 'Confidentialité', notice: 'Mentions légales', other: 'English' },
  },
  en: {
    version: (v: string) => `Version of ${v}`,
    outdated: 'This version is no longer in force.',
    current: 'See the version in force',
    others: 'Versions',
    notice: 'Legal notice',
    publisher: 'Publisher of this site',
    host: 'Host',
    director: 'Publication director: the company’s legal representative.',
    footer: { terms: 'Terms of sale', privacy: 'Privacy', notice: 'Legal notice', other: 'Français' },
  },
} satisfies Record<Locale, unknown>;

const other = (l: Locale): Locale => (l === 'fr' ? 'en' : 'fr');

function page(locale: Locale, title: string, body: string, self: LegalKind | 'notice'): string {
  const t = (s: string) => escapeHtml(typeset(s, locale));
  const f = words[locale].footer;
  const link = (kind: LegalKind | 'notice', label: string, l: Locale = locale) => `<a href="${legalPath(kind, l)}" lang="${l}">${t(label)}</a>`;
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t(title)} · ${BRAND}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
body{margin:0;background:#f3f1ec;color:#1d2733;font:16px/1.6 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}
header{background:#1f3a5f;color:#fff;font-weight:700;font-size:20px;padding:16px 24px}
header a{color:#fff;text-decoration:none}
main{max-width:46rem;margin:24px auto;background:#fff;border:1px solid #e4e0d8;border-radius:10px;padding:24px 32px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:28px 0 8px}
.meta{color:#5b6673;font-size:14px;margin:0 0 16px}
.outdated{background:#fff4d6;border-left:4px solid #e0a100;padding:10px 14px;border-radius:4px}
footer{max-width:46rem;margin:0 auto 32px;padding:0 12px;font-size:14px;color:#5b6673;display:flex;gap:16px;flex-wrap:wrap}
a{color:#1f3a5f}
</style>
</head>
<body>
<header><a href="/">${escapeHtml(BRAND)}</a></header>
<main>
<h1>${t(title)}</h1>
${body}
</main>
<footer>${link('terms', f.terms)} ${link('privacy', f.privacy)} ${link('notice', f.notice)} ${link(self, f.other, other(locale))}</footer>
</body>
</html>
`;
}

const para = (locale: Locale, text: string) => `<p>${escapeHtml(typeset(text, locale))}</p>`;

/** A terms or privacy text: its version and date, a warning when it is not the one in force, the other versions. */
export function legalTextPage(text: PublishedText, versions: string[]): string {
  const w = words[text.locale];
  const path = legalPath(text.kind, text.locale);
  const list = versions
    .map((v) => (v === text.version ? `<strong>${escapeHtml(v)}</strong>` : `<a href="${path}?version=${encodeURIComponent(v)}">${escapeHtml(v)}</a>`))
    .join(' · ');
  const body = [
    `<p class="meta" data-version="${escapeHtml(text.version)}" data-sha256="${escapeHtml(text.sha256)}">${escapeHtml(w.version(text.version))} · ${escapeHtml(typeset(`${w.others}${text.locale === 'fr' ? ' : ' : ': '}`, text.locale))}${list}</p>`,
    text.current ? '' : `<p class="outdated">${escapeHtml(w.outdated)} <a href="${path}">${escapeHtml(w.current)}</a></p>`,
    ...text.sections.map((s) => `<h2>${escapeHtml(typeset(s.heading, text.locale))}</h2>\n${s.paragraphs.map((p) => para(text.locale, p)).join('\n')}`),
  ].join('\n');
  return page(text.locale, text.title, body, text.kind);
}

/** The legal notice (loi n° 2004-575 pour la confiance dans l’économie numérique, art. 6 III): who publishes this site, and who hosts it. */
export function legalNoticePage(locale: Locale, seller: Seller, host: Host): string {
  const w = words[locale];
  const body = [
    `<h2>${escapeHtml(w.publisher)}</h2>`,
    ...sellerLines(seller, locale).map((l) => para(locale, l)),
    para(locale, w.director),
    `<h2>${escapeHtml(w.host)}</h2>`,
    ...hostLines(host, locale).map((l) => para(locale, l)),
  ].join('\n');
  return page(locale, w.notice, body, 'notice');
}
