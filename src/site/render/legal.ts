// The legal page ("mentions légales", LCEN art. 6): who publishes the site and who hosts it, linked from every page's footer.
import { typeset } from '../../emails/i18n.ts';
import { escapeHtml } from './html.ts';
import { footerHtml, headHtml, topbarHtml } from './chrome.ts';
import type { SiteView } from './view.ts';

/**
 * The host every delivered site lives on (the pipeline deploys to Netlify), as its privacy notice
 * names it (netlify.com/privacy; earlier notices gave 2325 3rd Street, San Francisco, CA 94107).
 * One place to change if the hosting provider or its address changes.
 */
export const SITE_HOST = {
  name: 'Netlify, Inc.',
  address: ['101 2nd Street', 'San Francisco, CA 94105', 'United States'],
  website: 'https://www.netlify.com',
} as const;

export const LEGAL_CSS = `.legal{max-width:760px}
.legal h1{margin-bottom:16px;font-size:clamp(2rem,4.6vw,2.75rem);letter-spacing:-.02em}
.legal-intro{color:var(--muted)}
.legal h2{margin:40px 0 14px;font-size:1.375rem}
.legal dl{display:grid;grid-template-columns:minmax(0,220px) minmax(0,1fr);gap:10px 24px;margin:0}
.legal dt{color:var(--muted);font-weight:600}
.legal dd{margin:0;overflow-wrap:anywhere}
.legal .actions{margin-top:40px}
@media (max-width:600px){.legal dl{grid-template-columns:1fr;gap:2px}.legal dd{margin-bottom:12px}}
`;

export function legalHtml(v: SiteView): string {
  const t = (s: string) => escapeHtml(typeset(s, v.locale));
  const c = v.copy.legal;
  const l = v.legal;
  const row = (label: string, value: string | undefined) => (value ? `<dt>${t(label)}</dt><dd>${value}</dd>` : '');
  const publisher = [
    row(c.name, t(l.legalName ?? v.name)),
    row(c.form, l.legalForm && t(l.legalForm)),
    row(c.registration, l.registration && t(l.registration)),
    row(c.vat, l.vatNumber && t(l.vatNumber)),
    row(c.address, l.address.length ? l.address.map(t).join('<br>') : undefined),
    row(c.email, v.email && v.mailto ? `<a href="${escapeHtml(v.mailto)}">${escapeHtml(v.email)}</a>` : undefined),
    row(c.phone, v.phone && v.tel ? `<a href="${escapeHtml(v.tel)}">${t(v.phone)}</a>` : undefined),
    row(c.director, l.publicationDirector && t(l.publicationDirector)),
  ].join('\n');
  return `<!doctype html>
<html lang="${v.locale}">
<head>
${headHtml(v, t, { page: 'legal', title: `${c.title} – ${v.name}`, extraCss: LEGAL_CSS })}
</head>
<body class="t-${v.template} page-legal">
${topbarHtml(v, t, { brandHref: '/' })}
<main id="main" class="section">
<div class="wrap legal">
<h1>${t(c.title)}</h1>
<p class="legal-intro">${t(c.intro)}</p>
<h2>${t(c.publisher)}</h2>
<dl>
${publisher}
</dl>
<h2>${t(c.host)}</h2>
<p>${t(c.hostText)}<br>${t(SITE_HOST.name)}<br>${SITE_HOST.address.map(t).join('<br>')}<br><a href="${SITE_HOST.website}" rel="noopener noreferrer">${SITE_HOST.website.replace(/^https:\/\//, '')}</a></p>
<h2>${t(c.privacy)}</h2>
<p>${t(c.privacyText)}</p>
<div class="actions"><a class="btn btn-primary" href="/"><span>${t(c.back)}</span></a></div>
</div>
</main>
${footerHtml(v, t)}
</body>
</html>
`;
}
