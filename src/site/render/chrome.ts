// What every page of a site shares: the <head> (title, description, Open Graph, icons, style), the top bar with its menu, the footer.
import { escapeHtml, icon } from './html.ts';
import { iconLinks } from './icons.ts';
import { brandMark, IMAGES_CSS, ogImageMeta, showsImages } from './pictures.ts';
import { styleSheet } from './style.ts';
import type { SiteView } from './view.ts';

const GENERATOR = 'Conciergerie';

export type PageKind = 'home' | 'legal' | 'error';

export function headHtml(v: SiteView, t: (s: string) => string, opts: { page: PageKind; title?: string; extraCss?: string }): string {
  const title = opts.title ?? v.title;
  const lines = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${t(title)}</title>`,
    `<meta name="description" content="${t(v.description)}">`,
  ];
  if (opts.page === 'home') {
    lines.push(
      `<link rel="canonical" href="${escapeHtml(v.url)}">`,
      '<meta property="og:type" content="website">',
      `<meta property="og:url" content="${escapeHtml(v.url)}">`,
      `<meta property="og:title" content="${t(v.name)}">`,
      `<meta property="og:description" content="${t(v.description)}">`,
      `<meta property="og:locale" content="${v.copy.ogLocale}">`,
      `<meta property="og:site_name" content="${t(v.name)}">`,
      '<meta name="twitter:card" content="summary">',
      ...ogImageMeta(v),
    );
  } else if (opts.page === 'legal') {
    lines.push(`<link rel="canonical" href="${escapeHtml(`${v.url}${v.legal.path.slice(1)}`)}">`);
  } else {
    // An error page is not content: keep it out of search results.
    lines.push('<meta name="robots" content="noindex">');
  }
  lines.push(
    `<meta name="theme-color" content="${v.colors.primary}">`,
    `<meta name="generator" content="${GENERATOR}">`,
    ...iconLinks(v),
    '<link rel="manifest" href="/site.webmanifest">',
    `<style>${styleSheet(v)}${showsImages(v, opts.page === 'home') ? IMAGES_CSS : ''}${opts.extraCss ?? ''}</style>`,
  );
  return lines.join('\n');
}

/**
 * The sticky top bar: the name (and logo), the sections, a call or write button. Below 880 px the
 * sections fold behind a "Menu" <details>: it opens without JavaScript, and its open state is told
 * to screen readers by the browser itself.
 */
export function topbarHtml(v: SiteView, t: (s: string) => string, opts: { brandHref: string; links?: string; action?: string }): string {
  const nav = opts.links
    ? `<nav class="nav" aria-label="${t(v.copy.navLabel)}">
<details class="nav-toggle"><summary>${icon('menu')}<span>${t(v.copy.menu)}</span></summary></details>
<div class="nav-links">${opts.links}</div>
</nav>`
    : '';
  return `<header class="topbar">
<div class="wrap">
<a class="brand" href="${escapeHtml(opts.brandHref)}">${brandMark(v)}<span class="brand-name">${t(v.name)}</span></a>
${nav}
${opts.action ?? ''}
</div>
</header>`;
}

export function footerHtml(v: SiteView, t: (s: string) => string): string {
  const links: string[] = [];
  if (v.tel && v.phone) links.push(`<a href="${escapeHtml(v.tel)}">${icon('phone')}<span>${t(v.phone)}</span></a>`);
  if (v.mailto && v.email) links.push(`<a href="${escapeHtml(v.mailto)}">${icon('mail')}<span>${escapeHtml(v.email)}</span></a>`);
  return `<footer class="footer">
<div class="wrap">
<div class="footer-top">
<div class="footer-brand"><span class="mark" aria-hidden="true">${escapeHtml(v.initials)}</span><div><p class="footer-name">${t(v.name)}</p>${
    v.city ? `<p class="footer-city">${t(v.city)}</p>` : ''
  }</div></div>
${links.length ? `<div class="footer-links">${links.join('')}</div>` : ''}
</div>
<p class="footer-legal">© ${t(v.name)} · ${t(v.copy.footer.rights)} · <a href="${escapeHtml(v.legal.path)}">${t(v.copy.footer.legal)}</a> · ${t(v.copy.footer.madeWith)}</p>
</div>
</footer>`;
}
