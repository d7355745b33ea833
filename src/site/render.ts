// Turns a site document into the static files deployed for a customer: pure and byte-deterministic, so a redeploy uploads only what changed.
import { domainToASCII } from 'node:url';
import { typeset } from '../emails/i18n.ts';
import type { SiteDocument } from './document.ts';
import { button, escapeHtml, icon, renderParagraphs, type Action, type Icon } from './render/html.ts';
import type { HeroAction, SectionId } from './render/layouts.ts';
import { brandMark, galleryHtml, imageFiles, IMAGES_CSS, ogImageMeta, showsImages, siteImages, withGallery, type SiteImages } from './render/pictures.ts';
import { NOT_FOUND_CSS, SANS, SERIF, styleSheet } from './render/style.ts';
import { CURRENCY, siteView, type SiteView } from './render/view.ts';
import { SCHEMA_DAYS } from './render/words.ts';

export { contrastRatio, relativeLuminance, textColorOn } from './render/palette.ts';
export type { SiteImage, SiteImages, SiteImageVariant } from './render/pictures.ts';

export interface RenderSiteOptions {
  /** the customer's domain, Unicode or ASCII; the files always use its lowercase ASCII form */
  domain: string;
  /** when given, sitemap.xml carries it as lastmod; nothing else in the files depends on the clock */
  generatedAt?: Date;
  /** the editor's uploaded logo and pictures (see "Images" at the end of this file); absent: none */
  images?: SiteImages;
}

/** Every path renderSite returns, in the order it returns them. */
export const SITE_FILES = ['/index.html', '/404.html', '/robots.txt', '/sitemap.xml', '/favicon.svg', '/site.webmanifest'] as const;

const GENERATOR = 'Conciergerie';

/**
 * The string the verifier looks for in the page served at the customer's domain: it proves the
 * domain serves the site we deployed, not a registrar's parking page or someone else's site.
 * index.html carries it in an HTML comment (a custom <meta> name would not validate).
 */
export function siteMarker(domain: string): string {
  return `conciergerie-site:${siteHost(domain)}`;
}

/** The customer's site as static files, path → bytes. */
export function renderSite(doc: SiteDocument, opts: RenderSiteOptions): Map<string, Buffer> {
  const view: SiteView = { ...siteView(doc, siteHost(opts.domain)), images: siteImages(opts.images) };
  const files = new Map<string, Buffer>();
  const put = (path: (typeof SITE_FILES)[number], body: string) => files.set(path, Buffer.from(body, 'utf8'));
  put('/index.html', withoutBlankLines(indexHtml(view)));
  put('/404.html', withoutBlankLines(notFoundHtml(view)));
  put('/robots.txt', robotsTxt(view));
  put('/sitemap.xml', sitemapXml(view, opts.generatedAt));
  put('/favicon.svg', faviconSvg(view));
  put('/site.webmanifest', webManifest(view));
  for (const image of imageFiles(view.images)) files.set(image.path, image.content);
  return files;
}

/** Optional blocks leave empty lines behind; no user text holds a raw line break (they become <br>), so this is safe. */
function withoutBlankLines(html: string): string {
  return html.replace(/\n{2,}/g, '\n');
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function siteHost(domain: string): string {
  const name = domain.trim().replace(/\.$/, '').toLowerCase();
  // The host lands in URLs and in the marker: only a plain hostname may get there. The first test
  // matters because domainToASCII reads a URL and would quietly drop everything after a "/".
  const ascii = /^[\p{L}\p{M}\p{N}.-]+$/u.test(name) ? domainToASCII(name) : '';
  if (!ascii || ascii.length > 253 || !ascii.split('.').every((l) => LABEL.test(l))) {
    throw new RangeError(`not a domain name: ${JSON.stringify(domain)}`);
  }
  return ascii;
}

// ---------- Templates: one renderer, each template a different arrangement of the same blocks ----------


// ---------- index.html ----------

function indexHtml(v: SiteView): string {
  const t = (s: string) => escapeHtml(typeset(s, v.locale));
  const hasHours = v.week.length > 0;
  const present: Record<string, boolean> = {
    about: v.about.length > 0,
    services: v.services.length > 0,
    contact: v.hasContact || (hasHours && v.layout.hoursIn === 'contact'),
  };
  const sections = v.layout.sections.filter((s) => present[s]);

  // The nav follows the page, top to bottom.
  const nav: SectionId[] = [];
  if (hasHours && v.layout.hoursIn === 'hero') nav.push('hours');
  for (const s of sections) {
    nav.push(s);
    if (s === 'contact' && hasHours && v.layout.hoursIn === 'contact') nav.push('hours');
  }
  const navLabel = (s: SectionId) => (s === 'services' ? v.copy.navServices[v.template] : v.copy.nav[s]);
  const navLinks = nav.map((s) => `<a href="#${s}">${t(navLabel(s))}</a>`).join('');
  const topAction: Action | undefined = v.tel
    ? { label: v.copy.cta.callShort, href: v.tel, style: 'primary', icon: 'phone', small: true }
    : v.mailto
      ? { label: v.copy.cta.write, href: v.mailto, style: 'primary', icon: 'mail', small: true }
      : undefined;

  let alt = false;
  const body = withGallery(v, sections)
    .map((s) => {
      alt = !alt;
      if (s === 'gallery') return galleryHtml(v, t, alt);
      if (s === 'about') return aboutHtml(v, t, alt);
      if (s === 'services') return servicesHtml(v, t, alt);
      return contactHtml(v, t, alt, hasHours && v.layout.hoursIn === 'contact');
    })
    .join('\n');

  return `<!doctype html>
<html lang="${v.locale}">
<head>
${headHtml(v, t, { canonical: true })}
<!-- ${escapeHtml(siteMarker(v.host))} -->
<script type="application/ld+json">${structuredData(v)}</script>
</head>
<body class="t-${v.template}">
<a class="skip" href="#main">${t(v.copy.skip)}</a>
<header class="topbar">
<div class="wrap">
<a class="brand" href="#top">${brandMark(v)}<span class="brand-name">${t(v.name)}</span></a>
${navLinks ? `<nav class="nav" aria-label="${t(v.copy.navLabel)}">${navLinks}</nav>` : ''}
${topAction ? button(topAction, t) : ''}
</div>
</header>
<main id="main">
${heroHtml(v, t, hasHours)}
${body}
</main>
${footerHtml(v, t)}
</body>
</html>
`;
}

function headHtml(v: SiteView, t: (s: string) => string, opts: { canonical: boolean; title?: string; extraCss?: string }): string {
  const title = opts.title ?? v.title;
  const lines = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${t(title)}</title>`,
    `<meta name="description" content="${t(v.description)}">`,
  ];
  if (opts.canonical) {
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
  } else {
    // An error page is not content: keep it out of search results.
    lines.push('<meta name="robots" content="noindex">');
  }
  lines.push(
    `<meta name="theme-color" content="${v.colors.primary}">`,
    `<meta name="generator" content="${GENERATOR}">`,
  );
  lines.push(
    '<link rel="icon" href="/favicon.svg" type="image/svg+xml">',
    '<link rel="manifest" href="/site.webmanifest">',
    `<style>${styleSheet(v)}${showsImages(v, opts.canonical) ? IMAGES_CSS : ''}${opts.extraCss ?? ''}</style>`,
  );
  return lines.join('\n');
}

function heroActions(v: SiteView): Action[] {
  const c = v.copy.cta;
  const hasContactSection = v.hasContact || (v.week.length > 0 && v.layout.hoursIn === 'contact');
  const offer: Record<HeroAction, Omit<Action, 'style'> | undefined> = {
    contact: hasContactSection ? { label: c.contact, href: '#contact' } : undefined,
    findUs: v.hasContact ? { label: c.findUs, href: '#contact', icon: 'pin' } : undefined,
    services: v.services.length ? { label: v.copy.titles[v.template].services, href: '#services' } : undefined,
    menu: v.services.length ? { label: c.menu, href: '#services' } : undefined,
    hours: v.week.length ? { label: c.hours, href: '#hours' } : undefined,
    call: v.tel ? { label: c.call, href: v.tel, icon: 'phone' } : undefined,
    phone: v.tel ? { label: v.phone ?? c.call, href: v.tel, icon: 'phone' } : undefined,
  };
  return v.layout.heroActions
    .map((kind) => offer[kind])
    .filter((a): a is Omit<Action, 'style'> => !!a)
    .slice(0, 2)
    .map((a, i) => ({ ...a, style: i === 0 ? 'accent' : 'outline' }));
}

function hoursTable(v: SiteView, t: (s: string) => string): string {
  const rows = v.week
    .map(
      (r) =>
        `<tr${r.times.length ? '' : ' class="closed"'}><th scope="row">${t(r.label)}</th><td>${
          r.times.length ? r.times.map((x) => `<span>${t(x)}</span>`).join(' ') : t(v.copy.closed)
        }</td></tr>`,
    )
    .join('\n');
  return `<table class="hours">\n${rows}\n</table>`;
}

function heroHtml(v: SiteView, t: (s: string) => string, hasHours: boolean): string {
  let aside = '';
  if (v.layout.hoursIn === 'hero' && hasHours) {
    const where = v.address.length
      ? `<p class="hero-card-foot">${icon('pin')}<span>${v.address.map(t).join('<br>')}${
          v.mapHref ? `<br><a href="${escapeHtml(v.mapHref)}" target="_blank" rel="noopener noreferrer">${t(v.copy.labels.map)}<span class="sr-only"> ${t(v.copy.labels.newTab)}</span></a>` : ''
        }</span></p>`
      : '';
    aside = `<aside class="hero-card" id="hours" aria-labelledby="hours-title">
<h2 id="hours-title">${icon('clock')}<span>${t(v.copy.titles[v.template].hours)}</span></h2>
${hoursTable(v, t)}
${where}
</aside>`;
  } else if (v.layout.heroAside === 'quote' && (v.mailto || v.tel)) {
    const list = v.services.length
      ? `<p class="hero-card-label">${t(v.copy.quote.listTitle)}</p>\n<ul class="checks">${v.services
          .slice(0, 5)
          .map((s) => `<li>${icon('check')}<span>${t(s.name)}</span></li>`)
          .join('')}</ul>`
      : `<p>${t(v.copy.quote.text)}</p>`;
    const cta: Action = v.mailto
      ? { label: v.copy.cta.quote, href: `${v.mailto}?subject=${encodeURIComponent(v.copy.quoteSubject)}`, style: 'accent', icon: 'mail' }
      : { label: v.copy.cta.call, href: v.tel as string, style: 'accent', icon: 'phone' };
    aside = `<aside class="hero-card" aria-labelledby="quote-title">
<h2 id="quote-title">${t(v.copy.quote.title)}</h2>
${list}
${button(cta, t)}
</aside>`;
  }
  const actions = heroActions(v);
  return `<section class="hero hero-${v.layout.heroAlign}" id="top">
<div class="wrap hero-grid${aside ? ' has-aside' : ''}">
<div class="hero-text">
${v.city ? `<p class="chip">${icon('pin')}<span>${t(v.city)}</span></p>` : ''}
<h1${Array.from(v.name).length > 40 ? ' class="long"' : ''}>${t(v.name)}</h1>
${v.tagline ? `<p class="tagline">${t(v.tagline)}</p>` : ''}
${actions.length ? `<div class="actions">${actions.map((a) => button(a, t)).join('')}</div>` : ''}
</div>
${aside}
</div>
</section>`;
}

function sectionHead(v: SiteView, kind: SectionId, headingId: string, t: (s: string) => string): string {
  return `<div class="section-head">
<p class="eyebrow">${t(v.copy.eyebrows[v.template][kind])}</p>
<h2 id="${headingId}">${t(v.copy.titles[v.template][kind])}</h2>
</div>`;
}

function aboutHtml(v: SiteView, t: (s: string) => string, alt: boolean): string {
  return `<section class="section${alt ? ' alt' : ''}" id="about" aria-labelledby="about-title">
<div class="wrap">
${sectionHead(v, 'about', 'about-title', t)}
<div class="prose">
${renderParagraphs(v.about, t)}
</div>
</div>
</section>`;
}

function servicesHtml(v: SiteView, t: (s: string) => string, alt: boolean): string {
  const style = v.layout.services;
  let list: string;
  if (style === 'menu') {
    const items = v.services.map(
      (s) => `<li class="menu-item">
<div class="menu-line"><h3>${t(s.name)}</h3>${s.price ? `<span class="menu-dots" aria-hidden="true"></span><span class="menu-price">${t(s.price)}</span>` : ''}</div>
${s.description.length ? `<div class="menu-desc">${renderParagraphs(s.description, t)}</div>` : ''}
</li>`,
    );
    list = `<ul class="menu${v.services.length > 5 ? ' menu-2' : ''}">\n${items.join('\n')}\n</ul>`;
  } else {
    const items = v.services.map(
      (s, i) => `<li class="card">
${style === 'numbered' ? `<span class="num" aria-hidden="true">${String(i + 1).padStart(2, '0')}</span>` : ''}
<h3>${t(s.name)}</h3>
${s.description.length ? renderParagraphs(s.description, t) : ''}
${s.price ? `<p class="price">${t(s.price)}</p>` : ''}
</li>`,
    );
    list = `<ul class="cards">\n${items.join('\n')}\n</ul>`;
  }
  return `<section class="section${alt ? ' alt' : ''}" id="services" aria-labelledby="services-title">
<div class="wrap">
${sectionHead(v, 'services', 'services-title', t)}
${list}
${v.layout.quoteBand && (v.mailto || v.tel) ? bandHtml(v, t) : ''}
</div>
</section>`;
}

function bandHtml(v: SiteView, t: (s: string) => string): string {
  const actions: Action[] = [];
  if (v.mailto) actions.push({ label: v.copy.cta.quote, href: `${v.mailto}?subject=${encodeURIComponent(v.copy.quoteSubject)}`, style: 'accent', icon: 'mail' });
  if (v.tel) actions.push({ label: v.phone ?? v.copy.cta.call, href: v.tel, style: actions.length ? 'outline' : 'accent', icon: 'phone' });
  return `<div class="band">
<div>
<h3>${t(v.copy.band.title)}</h3>
<p>${t(v.copy.band.text)}</p>
</div>
<div class="actions">${actions.map((a) => button(a, t)).join('')}</div>
</div>`;
}

function contactHtml(v: SiteView, t: (s: string) => string, alt: boolean, withHours: boolean): string {
  const cards: string[] = [];
  const card = (ic: Icon, label: string, content: string) =>
    `<li class="contact-card"><span class="contact-icon">${icon(ic)}</span><div><h3>${t(label)}</h3>${content}</div></li>`;
  if (v.phone && v.tel) cards.push(card('phone', v.copy.labels.phone, `<p><a href="${escapeHtml(v.tel)}">${t(v.phone)}</a></p>`));
  if (v.email && v.mailto) cards.push(card('mail', v.copy.labels.email, `<p><a href="${escapeHtml(v.mailto)}">${escapeHtml(v.email)}</a></p>`));
  if (v.address.length || v.mapHref) {
    const map = v.mapHref
      ? `<p><a class="map-link" href="${escapeHtml(v.mapHref)}" target="_blank" rel="noopener noreferrer">${t(v.copy.labels.map)}${icon('external')}<span class="sr-only"> ${t(v.copy.labels.newTab)}</span></a></p>`
      : '';
    cards.push(card('pin', v.copy.labels.address, `${v.address.length ? `<p>${v.address.map(t).join('<br>')}</p>` : ''}${map}`));
  }
  // Without contact details the section itself is titled "opening hours"; the card need not say it twice.
  const hours = withHours
    ? `<div class="hours-card" id="hours">
${cards.length ? `<h3>${icon('clock')}<span>${t(v.copy.titles[v.template].hours)}</span></h3>\n` : ''}${hoursTable(v, t)}
</div>`
    : '';
  const split = withHours && cards.length > 0;
  return `<section class="section${alt ? ' alt' : ''}" id="contact" aria-labelledby="contact-title">
<div class="wrap">
${sectionHead(v, cards.length ? 'contact' : 'hours', 'contact-title', t)}
<div class="contact${split ? ' contact-split' : ''}">
${cards.length ? `<ul class="contact-list${split ? '' : ` contact-grid contact-${cards.length}`}">\n${cards.join('\n')}\n</ul>` : ''}
${hours}
</div>
</div>
</section>`;
}

function footerHtml(v: SiteView, t: (s: string) => string): string {
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
<p class="footer-legal">© ${t(v.name)} · ${t(v.copy.footer.rights)} · ${t(v.copy.footer.madeWith)}</p>
</div>
</footer>`;
}

/** schema.org data for search engines; `<` is escaped so no value can close the script element. */
function structuredData(v: SiteView): string {
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': v.layout.schemaType,
    name: v.name,
    url: v.url,
    description: v.description,
  };
  if (v.phone) data.telephone = v.phone;
  if (v.email) data.email = v.email;
  if (v.address.length || v.city) {
    data.address = {
      '@type': 'PostalAddress',
      ...(v.address.length ? { streetAddress: v.address.join(', ') } : {}),
      ...(v.city ? { addressLocality: v.city } : {}),
    };
  }
  if (v.mapHref) data.hasMap = v.mapHref;
  if (v.openings.length) {
    data.openingHoursSpecification = v.openings.map((o) => ({
      '@type': 'OpeningHoursSpecification',
      dayOfWeek: SCHEMA_DAYS[o.day],
      opens: o.opens,
      closes: o.closes,
    }));
  }
  if (v.services.length) {
    data.hasOfferCatalog = {
      '@type': 'OfferCatalog',
      name: v.copy.titles[v.template].services,
      itemListElement: v.services.map((s) => ({
        '@type': 'Offer',
        itemOffered: { '@type': 'Service', name: s.name },
        ...(s.cents !== undefined ? { price: (s.cents / 100).toFixed(2), priceCurrency: CURRENCY } : {}),
      })),
    };
  }
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

// ---------- The other files ----------

function notFoundHtml(v: SiteView): string {
  const t = (s: string) => escapeHtml(typeset(s, v.locale));
  const nf = v.copy.notFound;
  return `<!doctype html>
<html lang="${v.locale}">
<head>
${headHtml(v, t, { canonical: false, title: `${nf.title} – ${v.name}`, extraCss: NOT_FOUND_CSS })}
</head>
<body class="t-${v.template} page-404">
<header class="topbar">
<div class="wrap">
<a class="brand" href="/">${brandMark(v)}<span class="brand-name">${t(v.name)}</span></a>
</div>
</header>
<main id="main" class="section">
<div class="wrap">
<div class="not-found">
<p class="not-found-code" aria-hidden="true">404</p>
<h1>${t(nf.title)}</h1>
<p>${t(nf.text)}</p>
<div class="actions"><a class="btn btn-primary" href="/"><span>${t(nf.back)}</span>${icon('arrow')}</a></div>
</div>
</div>
</main>
</body>
</html>
`;
}

function robotsTxt(v: SiteView): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${v.url}sitemap.xml\n`;
}

function sitemapXml(v: SiteView, generatedAt: Date | undefined): string {
  const lastmod =
    generatedAt && !Number.isNaN(generatedAt.getTime())
      ? `\n    <lastmod>${generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}</lastmod>`
      : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url>
    <loc>${escapeHtml(v.url)}</loc>${lastmod}
  </url>
</urlset>
`;
}

function faviconSvg(v: SiteView): string {
  const size = Array.from(v.initials).length > 1 ? 27 : 34;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<rect width="64" height="64" rx="14" fill="${v.colors.primary}"/>
<rect x="14" y="48" width="36" height="4" rx="2" fill="${v.colors.accent}"/>
<text x="32" y="30" text-anchor="middle" dominant-baseline="central" font-family="${escapeHtml(v.layout.font === 'serif' ? SERIF : SANS)}" font-size="${size}" font-weight="700" fill="${v.colors.onPrimary}">${escapeHtml(v.initials)}</text>
</svg>
`;
}

function webManifest(v: SiteView): string {
  const shortName = Array.from(v.name).length <= 15 ? v.name : `${Array.from(v.name).slice(0, 14).join('').trimEnd()}…`;
  const manifest = {
    name: v.name,
    short_name: shortName,
    description: v.description,
    lang: v.locale,
    dir: 'ltr',
    start_url: '/',
    scope: '/',
    display: 'browser',
    background_color: v.colors.bg,
    theme_color: v.colors.primary,
    icons: [{ src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

