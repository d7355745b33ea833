// Turns a site document into the static files deployed for a customer: pure and byte-deterministic, so a redeploy uploads only what changed.
import { domainToASCII } from 'node:url';
import { typeset } from '../emails/i18n.ts';
import type { SiteDocument } from './document.ts';
import { footerHtml, headHtml, topbarHtml } from './render/chrome.ts';
import { headersFile } from './render/headers.ts';
import { button, escapeHtml, icon, renderParagraphs, type Action, type Icon } from './render/html.ts';
import { faviconSvg, ICON_FILES, siteIconFiles } from './render/icons.ts';
import type { HeroAction, SectionId } from './render/layouts.ts';
import { legalHtml } from './render/legal.ts';
import { galleryHtml, imageFiles, siteImages, withGallery, type SiteImages } from './render/pictures.ts';
import { NOT_FOUND_CSS } from './render/style.ts';
import { CURRENCY, LEGAL_PATHS, siteView, type SiteView } from './render/view.ts';
import { SCHEMA_DAYS } from './render/words.ts';

export { contrastRatio, relativeLuminance, textColorOn } from './render/palette.ts';
export type { SiteImage, SiteImages, SiteImageVariant } from './render/pictures.ts';

export interface RenderSiteOptions {
  /** the customer's domain, Unicode or ASCII; the files always use its lowercase ASCII form */
  domain: string;
  /** when given, sitemap.xml carries it as lastmod; nothing else in the files depends on the clock */
  generatedAt?: Date;
  /** the editor's uploaded logo and pictures (src/site/render/pictures.ts); absent: none */
  images?: SiteImages;
  /** the document's version, written beside the marker: the check after a publish knows the new version is the one served */
  version?: number;
}

/**
 * Every path renderSite returns, in the order it returns them (favicon.svg only without a logo; the
 * legal page's name is in the site's language, see LEGAL_PATHS).
 */
export const SITE_FILES = ['/index.html', '/404.html', 'legal page', '/robots.txt', '/sitemap.xml', '/favicon.svg', '/site.webmanifest', '/_headers'] as const;
export { ICON_FILES, LEGAL_PATHS };

/**
 * The string the verifier looks for in the page served at the customer's domain: it proves the
 * domain serves the site we deployed, not a registrar's parking page or someone else's site.
 * index.html carries it in an HTML comment (a custom <meta> name would not validate).
 */
export function siteMarker(domain: string, version?: number): string {
  return `conciergerie-site:${siteHost(domain)}${version !== undefined ? ` version:${version}` : ''}`;
}

/**
 * The customer's site as static files, path → bytes: the pages and the text files, synchronously
 * (the editor's preview renders on every keystroke). renderSiteFiles adds the icons a deploy needs.
 */
export function renderSite(doc: SiteDocument, opts: RenderSiteOptions): Map<string, Buffer> {
  const view = viewOf(doc, opts);
  const files = new Map<string, Buffer>();
  const put = (path: string, body: string) => files.set(path, Buffer.from(body, 'utf8'));
  put('/index.html', withoutBlankLines(indexHtml(view, opts.version)));
  put('/404.html', withoutBlankLines(notFoundHtml(view)));
  put(view.legal.path, withoutBlankLines(legalHtml(view)));
  put('/robots.txt', robotsTxt(view));
  put('/sitemap.xml', sitemapXml(view, opts.generatedAt));
  if (!view.images?.logo) put('/favicon.svg', faviconSvg(view));
  put('/site.webmanifest', webManifest(view));
  // from the pages as written: the style sheets' hashes go into the Content-Security-Policy
  put('/_headers', headersFile(files));
  for (const image of imageFiles(view.images)) files.set(image.path, image.content);
  return files;
}

/** Everything a deploy sends: renderSite's files and the icons (favicon.ico and PNGs, from the logo's bytes when there is one). */
export async function renderSiteFiles(doc: SiteDocument, opts: RenderSiteOptions): Promise<Map<string, Buffer>> {
  const files = renderSite(doc, opts);
  const view = viewOf(doc, opts);
  for (const [path, content] of await siteIconFiles(view, view.images?.logo?.content)) files.set(path, content);
  return files;
}

function viewOf(doc: SiteDocument, opts: RenderSiteOptions): SiteView {
  return { ...siteView(doc, siteHost(opts.domain)), images: siteImages(opts.images) };
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

// ---------- index.html ----------

function indexHtml(v: SiteView, version: number | undefined): string {
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
${headHtml(v, t, { page: 'home' })}
<!-- ${escapeHtml(siteMarker(v.host, version))} -->
<script type="application/ld+json">${structuredData(v)}</script>
</head>
<body class="t-${v.template}">
<a class="skip" href="#main">${t(v.copy.skip)}</a>
${topbarHtml(v, t, { brandHref: '#top', links: navLinks || undefined, action: topAction ? button(topAction, t) : undefined })}
<main id="main">
${heroHtml(v, t, hasHours)}
${body}
</main>
${footerHtml(v, t)}
</body>
</html>
`;
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
  return `<table class="hours">\n<tbody>\n${rows}\n</tbody>\n</table>`;
}

function heroHtml(v: SiteView, t: (s: string) => string, hasHours: boolean): string {
  let aside = '';
  if (v.layout.hoursIn === 'hero' && hasHours) {
    const where = v.address.length
      ? `<p class="hero-card-foot">${icon('pin')}<span>${v.address.map(t).join('<br>')}${
          v.mapHref
            ? `<br><a href="${escapeHtml(v.mapHref)}" target="_blank" rel="noopener noreferrer">${t(v.copy.labels.map)}<span class="sr-only"> ${t(v.copy.labels.newTab)}</span></a>`
            : ''
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
  if (v.mailto)
    actions.push({ label: v.copy.cta.quote, href: `${v.mailto}?subject=${encodeURIComponent(v.copy.quoteSubject)}`, style: 'accent', icon: 'mail' });
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

/** schema.org data for search engines; `<` is escaped so no value can close the script element. */
function structuredData(v: SiteView): string {
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': v.layout.schemaType,
    name: v.name,
    url: v.url,
    description: v.description,
  };
  if (v.phone) data.telephone = v.phone.replace(/\u00a0/g, ' ').replace(/\u2011/g, '-');
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
${headHtml(v, t, { page: 'error', title: `${nf.title} – ${v.name}`, extraCss: NOT_FOUND_CSS })}
</head>
<body class="t-${v.template} page-404">
${topbarHtml(v, t, { brandHref: '/' })}
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
  const lastmod = generatedAt && !Number.isNaN(generatedAt.getTime()) ? `\n    <lastmod>${generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}</lastmod>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url>
    <loc>${escapeHtml(v.url)}</loc>${lastmod}
  </url>
  <url>
    <loc>${escapeHtml(`${v.url}${v.legal.path.slice(1)}`)}</loc>${lastmod}
  </url>
</urlset>
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
    icons: [
      ...(v.images?.logo ? [] : [{ src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }]),
      { src: '/apple-touch-icon.png', sizes: '180x180', type: 'image/png', purpose: 'any' },
    ],
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
