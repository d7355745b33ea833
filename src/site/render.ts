// Turns a site document into the static files deployed for a customer: pure and byte-deterministic, so a redeploy uploads only what changed.
import { domainToASCII } from 'node:url';
import { typeset } from '../emails/i18n.ts';
import { TEMPLATE_COLORS, WEEKDAYS, type SiteDocument, type SiteLocale, type SiteTemplate, type Weekday } from './document.ts';

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
/** Prices in the document are euro cents: every order we take is in euros. */
const CURRENCY = 'EUR';

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

type SectionId = 'about' | 'services' | 'hours' | 'contact';
type HeroAction = 'contact' | 'findUs' | 'services' | 'menu' | 'hours' | 'call' | 'phone';

interface TemplateLayout {
  /** sections after the hero, top to bottom */
  sections: ('about' | 'services' | 'contact')[];
  /** where the week's opening hours go: beside the hero (restaurants: "are they open?") or with the contact details */
  hoursIn: 'hero' | 'contact';
  /** what stands beside the name in the hero, besides the hours */
  heroAside: 'none' | 'quote';
  /** the hero's buttons in order of preference; the first two the content allows are shown */
  heroActions: HeroAction[];
  heroAlign: 'center' | 'start';
  services: 'cards' | 'menu' | 'numbered';
  /** a call to action for a quote right after the services */
  quoteBand: boolean;
  /** a craftsman's unpriced service is priced on quote; a shop's simply has no price shown */
  unpricedOnQuote: boolean;
  font: 'sans' | 'serif';
  radius: number;
  /** the page background; sections alternate between it and white */
  background: string;
  schemaType: string;
}

const LAYOUTS: Record<SiteTemplate, TemplateLayout> = {
  // A shop window: a welcoming centred hero, who we are, what we offer, how to reach us.
  vitrine: {
    sections: ['about', 'services', 'contact'],
    hoursIn: 'contact',
    heroAside: 'none',
    heroActions: ['contact', 'services', 'hours'],
    heroAlign: 'center',
    services: 'cards',
    quoteBand: false,
    unpricedOnQuote: false,
    font: 'sans',
    radius: 14,
    background: '#f6f7f9',
    schemaType: 'LocalBusiness',
  },
  // Menu and opening hours first: they are what people look up before they come.
  restaurant: {
    sections: ['services', 'about', 'contact'],
    hoursIn: 'hero',
    heroAside: 'none',
    heroActions: ['menu', 'call', 'findUs'],
    heroAlign: 'start',
    services: 'menu',
    quoteBand: false,
    unpricedOnQuote: false,
    font: 'serif',
    radius: 8,
    background: '#faf6ef',
    schemaType: 'FoodEstablishment',
  },
  // Services and the quote request first: a craftsman's visitor has a job to get done.
  artisan: {
    sections: ['services', 'about', 'contact'],
    hoursIn: 'contact',
    heroAside: 'quote',
    heroActions: ['phone', 'services', 'contact'],
    heroAlign: 'start',
    services: 'numbered',
    quoteBand: true,
    unpricedOnQuote: true,
    font: 'sans',
    radius: 6,
    background: '#f4f4f1',
    schemaType: 'HomeAndConstructionBusiness',
  },
};

// ---------- Words ----------

interface SiteCopy {
  intl: string;
  ogLocale: string;
  days: Record<Weekday, string>;
  everyDay: string;
  closed: string;
  onQuote: string;
  skip: string;
  navLabel: string;
  nav: Record<SectionId, string>;
  navServices: Record<SiteTemplate, string>;
  titles: Record<SiteTemplate, Record<SectionId, string>>;
  eyebrows: Record<SiteTemplate, Record<SectionId, string>>;
  cta: { contact: string; services: string; hours: string; menu: string; call: string; callShort: string; write: string; findUs: string; quote: string };
  labels: { phone: string; email: string; address: string; map: string; newTab: string };
  quote: { title: string; text: string; listTitle: string };
  band: { title: string; text: string };
  footer: { madeWith: string; rights: string };
  notFound: { title: string; text: string; back: string };
  quoteSubject: string;
}

const COPY: Record<SiteLocale, SiteCopy> = {
  fr: {
    intl: 'fr-FR',
    ogLocale: 'fr_FR',
    days: { mon: 'Lundi', tue: 'Mardi', wed: 'Mercredi', thu: 'Jeudi', fri: 'Vendredi', sat: 'Samedi', sun: 'Dimanche' },
    everyDay: 'Tous les jours',
    closed: 'Fermé',
    onQuote: 'Sur devis',
    skip: 'Aller au contenu',
    navLabel: 'Navigation principale',
    nav: { about: 'À propos', services: 'Services', hours: 'Horaires', contact: 'Contact' },
    navServices: { vitrine: 'Services', restaurant: 'La carte', artisan: 'Prestations' },
    titles: {
      vitrine: { about: 'À propos', services: 'Nos services', hours: 'Horaires d’ouverture', contact: 'Contact' },
      restaurant: { about: 'Notre maison', services: 'Notre carte', hours: 'Horaires d’ouverture', contact: 'Nous trouver' },
      artisan: { about: 'Notre savoir-faire', services: 'Nos prestations', hours: 'Horaires', contact: 'Contact' },
    },
    eyebrows: {
      vitrine: { about: 'Bienvenue', services: 'Ce que nous proposons', hours: 'Quand venir', contact: 'Parlons-en' },
      restaurant: { about: 'Bienvenue', services: 'À découvrir', hours: 'Quand venir', contact: 'Venez nous voir' },
      artisan: { about: 'Qui sommes-nous', services: 'Ce que nous faisons', hours: 'Quand nous joindre', contact: 'Parlons de votre projet' },
    },
    cta: {
      contact: 'Nous contacter',
      services: 'Nos services',
      hours: 'Voir les horaires',
      menu: 'Voir la carte',
      call: 'Nous appeler',
      callShort: 'Appeler',
      write: 'Écrire',
      findUs: 'Nous trouver',
      quote: 'Demander un devis',
    },
    labels: { phone: 'Téléphone', email: 'E-mail', address: 'Adresse', map: 'Voir sur la carte', newTab: '(nouvel onglet)' },
    quote: {
      title: 'Un projet ?',
      text: 'Décrivez-nous votre besoin : nous vous répondons avec un devis détaillé.',
      listTitle: 'Nos prestations',
    },
    band: { title: 'Un projet en tête ?', text: 'Parlons-en : nous vous conseillons et vous remettons un devis détaillé.' },
    footer: { madeWith: 'Site réalisé avec Conciergerie', rights: 'Tous droits réservés' },
    notFound: {
      title: 'Page introuvable',
      text: 'La page que vous cherchez n’existe pas ou a été déplacée.',
      back: 'Retour à l’accueil',
    },
    quoteSubject: 'Demande de devis',
  },
  en: {
    intl: 'en-GB',
    ogLocale: 'en_GB',
    days: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
    everyDay: 'Every day',
    closed: 'Closed',
    onQuote: 'On quote',
    skip: 'Skip to content',
    navLabel: 'Main navigation',
    nav: { about: 'About', services: 'Services', hours: 'Hours', contact: 'Contact' },
    navServices: { vitrine: 'Services', restaurant: 'Menu', artisan: 'Services' },
    titles: {
      vitrine: { about: 'About us', services: 'Our services', hours: 'Opening hours', contact: 'Contact' },
      restaurant: { about: 'Our story', services: 'Our menu', hours: 'Opening hours', contact: 'Find us' },
      artisan: { about: 'Our craft', services: 'What we do', hours: 'Hours', contact: 'Contact' },
    },
    eyebrows: {
      vitrine: { about: 'Welcome', services: 'What we offer', hours: 'When to visit', contact: 'Get in touch' },
      restaurant: { about: 'Welcome', services: 'To enjoy', hours: 'When to visit', contact: 'Come and see us' },
      artisan: { about: 'Who we are', services: 'Our services', hours: 'When to reach us', contact: 'Let’s talk about your project' },
    },
    cta: {
      contact: 'Contact us',
      services: 'Our services',
      hours: 'Opening hours',
      menu: 'See the menu',
      call: 'Call us',
      callShort: 'Call',
      write: 'Email',
      findUs: 'Find us',
      quote: 'Request a quote',
    },
    labels: { phone: 'Phone', email: 'Email', address: 'Address', map: 'View on map', newTab: '(opens in a new tab)' },
    quote: {
      title: 'Got a project?',
      text: 'Tell us what you need: we will reply with a detailed quote.',
      listTitle: 'What we do',
    },
    band: { title: 'Have a project in mind?', text: 'Let’s talk: we will advise you and send you a detailed quote.' },
    footer: { madeWith: 'Website made with Conciergerie', rights: 'All rights reserved' },
    notFound: {
      title: 'Page not found',
      text: 'The page you are looking for does not exist or has moved.',
      back: 'Back to the home page',
    },
    quoteSubject: 'Quote request',
  },
};

const SCHEMA_DAYS: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

// ---------- Colours ----------

const WHITE = '#ffffff';
const NEAR_BLACK = '#15181c';

interface Palette {
  primary: string;
  onPrimary: string;
  accent: string;
  onAccent: string;
  /** primary and accent darkened until they read as text on the page (WCAG AA, 4.5:1) */
  primaryInk: string;
  accentInk: string;
  primarySoft: string;
  heroEnd: string;
  bg: string;
  ink: string;
  inkSoft: string;
  muted: string;
  line: string;
  lineStrong: string;
  footerBg: string;
}

type Rgb = [number, number, number];

function parseHex(hex: string): Rgb {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** `amount` of `to` into `from`: mix(c, white, 0.9) is a pale tint of c. */
function mix(from: string, to: string, amount: number): string {
  const a = parseHex(from);
  const b = parseHex(to);
  return toHex([0, 1, 2].map((i) => a[i] + (b[i] - a[i]) * amount) as Rgb);
}

function rgba(hex: string, alpha: number): string {
  return `rgba(${parseHex(hex).join(',')},${alpha})`;
}

/** WCAG 2 relative luminance. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** White or near-black, whichever reads better on `background`. */
export function textColorOn(background: string): string {
  return contrastRatio(WHITE, background) >= contrastRatio(NEAR_BLACK, background) ? WHITE : NEAR_BLACK;
}

/** The colour itself if it reads on `background`, else the closest darker shade that does. */
function readableOn(color: string, background: string, min = 4.5): string {
  for (let step = 0; step <= 20; step++) {
    const shade = mix(color, '#000000', step * 0.05);
    if (contrastRatio(shade, background) >= min) return shade;
  }
  return NEAR_BLACK;
}

const isHexColor = (value: unknown): value is string => typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value);

function palette(doc: SiteDocument, template: SiteTemplate): Palette {
  // Colours go into CSS: anything but #rrggbb would be a way out of the style sheet.
  const fallback = TEMPLATE_COLORS[template];
  const layout = LAYOUTS[template];
  const primary = (isHexColor(doc.colors?.primary) ? doc.colors.primary : fallback.primary).toLowerCase();
  const accent = (isHexColor(doc.colors?.accent) ? doc.colors.accent : fallback.accent).toLowerCase();
  const onPrimary = textColorOn(primary);
  const bg = layout.background;
  const ink = NEAR_BLACK;
  return {
    primary,
    onPrimary,
    accent,
    onAccent: textColorOn(accent),
    primaryInk: readableOn(primary, bg),
    accentInk: readableOn(accent, bg),
    primarySoft: mix(primary, WHITE, 0.9),
    // The gradient moves away from the text colour, so the hero text never loses contrast.
    heroEnd: onPrimary === WHITE ? mix(primary, '#000000', 0.28) : mix(primary, WHITE, 0.3),
    bg,
    ink,
    inkSoft: mix(ink, bg, 0.18),
    muted: mix(ink, bg, 0.4),
    line: mix(ink, bg, 0.88),
    lineStrong: mix(ink, bg, 0.7),
    footerBg: mix(primary, '#0b0d10', 0.86),
  };
}

// ---------- What the page shows, checked and formatted once ----------

interface ServiceView {
  name: string;
  description: string[][];
  /** as shown: "24,50 €", "On quote", or nothing */
  price?: string;
  cents?: number;
}

interface HoursRow {
  label: string;
  /** one entry per opening, empty when closed */
  times: string[];
}

interface SiteView {
  template: SiteTemplate;
  locale: SiteLocale;
  copy: SiteCopy;
  layout: TemplateLayout;
  colors: Palette;
  host: string;
  url: string;
  name: string;
  initials: string;
  title: string;
  description: string;
  tagline?: string;
  city?: string;
  about: string[][];
  services: ServiceView[];
  week: HoursRow[];
  openings: { day: Weekday; opens: string; closes: string }[];
  email?: string;
  mailto?: string;
  phone?: string;
  tel?: string;
  address: string[];
  mapHref?: string;
  /** anything for the contact section besides opening hours */
  hasContact: boolean;
  /** the editor's pictures, checked (see "Images") */
  images?: SiteImages;
}

/** Control characters break HTML and XML; line breaks stay, they mean something in an address. */
function clean(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').trim();
}

function oneLine(value: unknown): string {
  return clean(value).replace(/\s+/g, ' ');
}

/** Blank lines separate paragraphs, single line breaks stay inside one. */
function paragraphs(value: unknown): string[][] {
  return clean(value)
    .split(/\n[ \t]*\n/)
    .map((p) => p.split('\n').map((l) => l.trim().replace(/\s+/g, ' ')).filter(Boolean))
    .filter((p) => p.length > 0);
}

function safeEmail(value: unknown): string | undefined {
  const email = oneLine(value);
  // Narrower than RFC 5322 on purpose: the address goes into a mailto: URL unencoded.
  return /^[A-Za-z0-9._+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(email) ? email : undefined;
}

function safeTel(phone: string): string | undefined {
  const digits = phone.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  return /^\+?\d{3,20}$/.test(digits) ? `tel:${digits}` : undefined;
}

function safeWebUrl(value: unknown): string | undefined {
  const raw = oneLine(value);
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function formatPrice(cents: number, copy: SiteCopy): string {
  const whole = cents % 100 === 0;
  return new Intl.NumberFormat(copy.intl, {
    style: 'currency',
    currency: CURRENCY,
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: whole ? 0 : 2,
  }).format(cents / 100);
}

/** "09:30" → "9h30" (fr) / "9:30" (en); "12:00" → "12h" in French, the way shop doors say it. */
function formatTime(hhmm: string, locale: SiteLocale): string {
  const [h, m] = hhmm.split(':');
  const hour = String(Number(h));
  if (locale === 'fr') return m === '00' ? `${hour}h` : `${hour}h${m}`;
  return `${hour}:${m}`;
}

const isTime = (v: unknown): v is string => typeof v === 'string' && /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/.test(v);

function weekView(doc: SiteDocument, locale: SiteLocale): { week: HoursRow[]; openings: SiteView['openings'] } {
  const copy = COPY[locale];
  const openings = (Array.isArray(doc.openingHours) ? doc.openingHours : [])
    .filter((h) => h && (WEEKDAYS as readonly string[]).includes(h.day) && isTime(h.opens) && isTime(h.closes) && h.opens !== h.closes)
    .map((h) => ({ day: h.day, opens: h.opens, closes: h.closes }));
  if (openings.length === 0) return { week: [], openings: [] };
  openings.sort((a, b) => WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day) || a.opens.localeCompare(b.opens));
  const perDay = WEEKDAYS.map((day) =>
    openings.filter((o) => o.day === day).map((o) => `${formatTime(o.opens, locale)} – ${formatTime(o.closes, locale)}`),
  );
  // Consecutive days with the same hours read as one line: "Lundi – Vendredi".
  const week: HoursRow[] = [];
  let start = 0;
  for (let i = 1; i <= WEEKDAYS.length; i++) {
    if (i < WEEKDAYS.length && perDay[i].join('|') === perDay[start].join('|')) continue;
    const first = copy.days[WEEKDAYS[start]];
    const last = copy.days[WEEKDAYS[i - 1]];
    const label = i - start === WEEKDAYS.length ? copy.everyDay : i - start === 1 ? first : `${first} – ${last}`;
    week.push({ label, times: perDay[start] });
    start = i;
  }
  return { week, openings };
}

const FILLER_WORDS = new Set(['l', 'd', 'le', 'la', 'les', 'de', 'du', 'des', 'et', 'the', 'and', 'of', 'a', 'au', 'aux']);

/** "Boulangerie Dupont" → "BD": the monogram of the favicon and the top bar. */
function initialsOf(name: string): string {
  const words = name.split(/[^\p{L}\p{N}]+/u).filter((w) => w && !FILLER_WORDS.has(w.toLowerCase()));
  const letters = words.slice(0, 2).map((w) => Array.from(w)[0].toUpperCase());
  return letters.join('') || Array.from(name.trim())[0]?.toUpperCase() || '•';
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

function siteView(doc: SiteDocument, host: string): SiteView {
  const template: SiteTemplate = Object.hasOwn(LAYOUTS, doc.template) ? doc.template : 'vitrine';
  const locale: SiteLocale = doc.locale === 'en' ? 'en' : 'fr';
  const copy = COPY[locale];
  const layout = LAYOUTS[template];
  const name = oneLine(doc.businessName) || host;
  const tagline = oneLine(doc.tagline) || undefined;
  const city = oneLine(doc.city) || undefined;
  const about = paragraphs(doc.about);

  const services: ServiceView[] = [];
  for (const s of Array.isArray(doc.services) ? doc.services : []) {
    const serviceName = oneLine(s?.name);
    if (!serviceName) continue;
    const cents = Number.isInteger(s.priceCents) && (s.priceCents as number) >= 0 ? (s.priceCents as number) : undefined;
    services.push({
      name: serviceName,
      description: paragraphs(s.description),
      price: cents !== undefined ? formatPrice(cents, copy) : layout.unpricedOnQuote ? copy.onQuote : undefined,
      cents,
    });
  }

  const email = safeEmail(doc.contact?.email);
  const phone = oneLine(doc.contact?.phone) || undefined;
  const tel = phone ? safeTel(phone) : undefined;
  const address = paragraphs(doc.contact?.address).flat();
  const mapHref = safeWebUrl(doc.mapUrl);

  const sentence = (s: string) => (/[.!?…]$/.test(s) ? s : `${s}.`);
  const summary = [tagline, about.flat().join(' ')].filter((s): s is string => !!s).map(sentence).join(' ');
  const description = truncate(summary || [name, city].filter(Boolean).join(', '), 160);

  return {
    template,
    locale,
    copy,
    layout,
    colors: palette(doc, template),
    host,
    url: `https://${host}/`,
    name,
    initials: initialsOf(name),
    title: city ? `${name} – ${city}` : name,
    description,
    tagline,
    city,
    about,
    services,
    ...weekView(doc, locale),
    email,
    mailto: email ? `mailto:${email}` : undefined,
    // A number nobody can dial is noise on the page.
    phone: tel ? phone : undefined,
    tel,
    address,
    mapHref,
    hasContact: !!(email || tel || address.length > 0 || mapHref),
  };
}

// ---------- HTML helpers ----------

/** Every value that reaches HTML or XML goes through here, text and attributes alike. */
function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

type Icon = 'phone' | 'mail' | 'pin' | 'clock' | 'external' | 'check' | 'arrow';

// Feather icons (MIT), inline so the page makes no request to draw them.
const ICON_PATHS: Record<Icon, string> = {
  phone:
    '<path d="M22 16.92v3a2 2 0 0 1-2.18 2 19.79 19.79 0 0 1-8.63-3.07 19.5 19.5 0 0 1-6-6 19.79 19.79 0 0 1-3.07-8.67A2 2 0 0 1 4.11 2h3a2 2 0 0 1 2 1.72c.13.96.36 1.9.7 2.81a2 2 0 0 1-.45 2.11L8.09 9.91a16 16 0 0 0 6 6l1.27-1.27a2 2 0 0 1 2.11-.45c.91.34 1.85.57 2.81.7A2 2 0 0 1 22 16.92z"/>',
  mail: '<path d="M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/><path d="m22 6-10 7L2 6"/>',
  pin: '<path d="M21 10c0 7-9 13-9 13S3 17 3 10a9 9 0 0 1 18 0z"/><circle cx="12" cy="10" r="3"/>',
  clock: '<circle cx="12" cy="12" r="10"/><path d="M12 6v6l4 2"/>',
  external: '<path d="M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6"/><path d="M15 3h6v6"/><path d="M10 14 21 3"/>',
  check: '<path d="M20 6 9 17l-5-5"/>',
  arrow: '<path d="M5 12h14"/><path d="m12 5 7 7-7 7"/>',
};

function icon(name: Icon): string {
  return `<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">${ICON_PATHS[name]}</svg>`;
}

interface Action {
  label: string;
  href: string;
  style: 'accent' | 'outline' | 'primary';
  icon?: Icon;
  small?: boolean;
}

function button(a: Action, t: (s: string) => string): string {
  return `<a class="btn btn-${a.style}${a.small ? ' btn-sm' : ''}" href="${escapeHtml(a.href)}">${a.icon ? icon(a.icon) : ''}<span>${t(a.label)}</span></a>`;
}

function renderParagraphs(paras: string[][], t: (s: string) => string): string {
  return paras.map((lines) => `<p>${lines.map(t).join('<br>')}</p>`).join('\n');
}

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

// ---------- Style ----------

const SANS = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif';
const SERIF = '"Iowan Old Style","Palatino Linotype",Palatino,"Book Antiqua",Georgia,Cambria,"Times New Roman",serif';

/** One style sheet, inline: the page makes no request but its favicon, and no font or CDN can slow it down. */
function styleSheet(v: SiteView): string {
  const c = v.colors;
  const r = v.layout.radius;
  const onP = (a: number) => rgba(c.onPrimary, a);
  return `
:root{--primary:${c.primary};--on-primary:${c.onPrimary};--accent:${c.accent};--on-accent:${c.onAccent};--primary-ink:${c.primaryInk};--accent-ink:${c.accentInk};--primary-soft:${c.primarySoft};--bg:${c.bg};--surface:#ffffff;--ink:${c.ink};--ink-soft:${c.inkSoft};--muted:${c.muted};--line:${c.line};--line-strong:${c.lineStrong};--radius:${r}px;--radius-lg:${r + 6}px;--sans:${SANS};--display:${v.layout.font === 'serif' ? SERIF : SANS};--shadow:0 1px 2px rgba(16,24,40,.05),0 8px 24px -12px rgba(16,24,40,.12);--shadow-lg:0 24px 48px -16px rgba(16,24,40,.28);color-scheme:light}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%;scroll-behavior:smooth;scroll-padding-top:84px}
body{margin:0;background:var(--bg);color:var(--ink);font:400 1rem/1.65 var(--sans);-webkit-font-smoothing:antialiased;-moz-osx-font-smoothing:grayscale;text-rendering:optimizeLegibility;overflow-wrap:break-word}
h1,h2,h3{font-family:var(--display);line-height:1.15;margin:0;color:var(--ink);text-wrap:balance}
p{margin:0 0 1em}
p:last-child{margin-bottom:0}
a{color:var(--primary-ink);text-underline-offset:.18em}
a[href^="tel:"]{white-space:nowrap}
ul{margin:0;padding:0;list-style:none}
:focus-visible{outline:3px solid var(--accent-ink);outline-offset:3px;border-radius:4px}
.hero :focus-visible,.band :focus-visible,.footer :focus-visible{outline-color:currentColor}
.hero .hero-card :focus-visible{outline-color:var(--accent-ink)}
.sr-only{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.icon{width:1.15em;height:1.15em;flex:none;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.wrap{width:100%;max-width:1140px;margin:0 auto;padding:0 clamp(20px,5vw,40px)}
.skip{position:absolute;left:12px;top:-60px;z-index:20;padding:10px 16px;border-radius:8px;background:var(--surface);color:var(--ink);font-weight:600;box-shadow:var(--shadow)}
.skip:focus{top:12px}
.topbar{position:sticky;top:0;z-index:10;background:rgba(255,255,255,.9);-webkit-backdrop-filter:saturate(180%) blur(14px);backdrop-filter:saturate(180%) blur(14px);border-bottom:1px solid var(--line)}
.topbar .wrap{display:flex;align-items:center;gap:20px;min-height:68px}
.brand{display:flex;align-items:center;gap:12px;min-width:0;margin-right:auto;color:var(--ink);text-decoration:none;font-family:var(--display);font-weight:700;font-size:1.125rem;letter-spacing:-.01em}
.brand-name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.mark{display:inline-grid;place-items:center;flex:none;width:38px;height:38px;border-radius:calc(var(--radius) - 2px);background:var(--primary);color:var(--on-primary);font:800 .875rem/1 var(--sans);letter-spacing:.03em}
.nav{display:flex;gap:2px}
.nav a{padding:8px 14px;border-radius:999px;color:var(--ink-soft);font-size:.9375rem;font-weight:500;text-decoration:none;transition:background-color .15s,color .15s}
.nav a:hover{background:var(--primary-soft);color:var(--ink)}
.btn{display:inline-flex;align-items:center;justify-content:center;gap:10px;min-height:50px;padding:12px 24px;border:2px solid transparent;border-radius:var(--radius);font:600 1rem/1.2 var(--sans);text-align:center;text-decoration:none;cursor:pointer;transition:transform .15s ease,box-shadow .15s ease,background-color .15s ease}
.btn:hover{transform:translateY(-1px)}
.btn-accent{background:var(--accent);color:var(--on-accent);box-shadow:0 10px 24px -10px rgba(0,0,0,.45)}
.btn-accent:hover{box-shadow:0 14px 28px -10px rgba(0,0,0,.5)}
.btn-primary{background:var(--primary);color:var(--on-primary)}
.btn-outline{border-color:currentColor;color:inherit;background:transparent}
.btn-sm{flex:none;min-height:42px;padding:8px 16px;font-size:.9375rem}
.hero{position:relative;overflow:hidden;padding:clamp(64px,11vw,128px) 0 clamp(64px,10vw,120px);color:var(--on-primary);background:radial-gradient(circle at 88% 12%,${rgba(c.accent, 0.3)},transparent 42%),radial-gradient(circle at 6% 100%,${rgba(c.accent, 0.16)},transparent 38%),linear-gradient(135deg,${c.primary} 0%,${c.heroEnd} 100%)}
.hero::after{content:"";position:absolute;inset:0;pointer-events:none;background-image:radial-gradient(${onP(0.09)} 1px,transparent 1px);background-size:22px 22px;-webkit-mask-image:linear-gradient(to bottom,#000,transparent 75%);mask-image:linear-gradient(to bottom,#000,transparent 75%)}
.hero-grid{position:relative;z-index:1;display:grid;gap:40px;align-items:center}
.hero h1{color:inherit;font-size:clamp(2.375rem,7vw,4.25rem);font-weight:800;letter-spacing:-.025em;line-height:1.05;hyphens:auto}
.hero h1.long{font-size:clamp(1.875rem,4.6vw,3rem);line-height:1.12}
.tagline{max-width:34em;margin:20px 0 0;font-size:clamp(1.125rem,2.4vw,1.375rem);line-height:1.5;color:${onP(0.9)}}
.chip{display:inline-flex;align-items:center;gap:8px;margin:0 0 22px;padding:7px 14px;border-radius:999px;background:${onP(0.12)};border:1px solid ${onP(0.24)};font-size:.875rem;font-weight:600;letter-spacing:.01em}
.actions{display:flex;flex-wrap:wrap;gap:12px;margin-top:36px}
.hero .btn-outline{border-color:${onP(0.55)};color:var(--on-primary)}
.hero .btn-outline:hover{background:${onP(0.1)}}
.hero-card{padding:clamp(24px,4vw,34px);border-radius:var(--radius-lg);background:var(--surface);color:var(--ink);box-shadow:var(--shadow-lg)}
.hero-card h2{display:flex;align-items:center;gap:10px;margin-bottom:18px;font-size:1.375rem}
.hero-card h2 .icon{color:var(--accent-ink)}
.hero-card .btn{width:100%;margin-top:22px}
.hero-card-label{margin:0 0 10px;color:var(--muted);font-size:.8125rem;font-weight:700;letter-spacing:.1em;text-transform:uppercase}
.hero-card-foot{display:flex;gap:10px;margin:18px 0 0;padding-top:18px;border-top:1px solid var(--line);color:var(--ink-soft);font-size:.9375rem}
.hero-card-foot .icon{margin-top:.2em;color:var(--accent-ink)}
.checks li{display:flex;gap:12px;align-items:flex-start;padding:9px 0;border-bottom:1px solid var(--line);font-weight:500}
.checks li:last-child{border-bottom:0}
.checks .icon{margin-top:.25em;color:var(--accent-ink)}
.section{padding:clamp(64px,9vw,112px) 0}
.section.alt{background:var(--surface)}
.section-head{max-width:680px;margin-bottom:clamp(32px,5vw,52px)}
.eyebrow{margin:0 0 12px;color:var(--accent-ink);font-size:.8125rem;font-weight:700;letter-spacing:.14em;text-transform:uppercase}
.section-head h2{font-size:clamp(1.875rem,4.2vw,2.75rem);letter-spacing:-.02em}
.section-head h2::after{content:"";display:block;width:56px;height:4px;margin-top:18px;border-radius:2px;background:var(--accent)}
.prose{max-width:68ch;color:var(--ink-soft);font-size:clamp(1.0625rem,1.6vw,1.1875rem);line-height:1.75}
.cards{display:grid;gap:clamp(16px,2.5vw,24px);grid-template-columns:repeat(auto-fill,minmax(min(100%,260px),1fr))}
.card{position:relative;display:flex;flex-direction:column;gap:10px;padding:clamp(22px,3vw,30px);border:1px solid var(--line);border-radius:var(--radius-lg);background:var(--surface);box-shadow:var(--shadow);transition:transform .2s ease,box-shadow .2s ease}
.alt .card{background:var(--bg)}
.card:hover{transform:translateY(-3px);box-shadow:var(--shadow-lg)}
.card h3{font-size:1.1875rem;letter-spacing:-.01em}
.card p{margin:0;color:var(--muted)}
.card .price{margin-top:auto;padding-top:10px;color:var(--accent-ink);font-size:1.0625rem;font-weight:700}
.num{color:var(--accent-ink);font:800 .875rem/1 var(--sans);letter-spacing:.12em}
.menu{display:grid;gap:28px 64px;max-width:720px}
.menu-2{max-width:1040px}
.menu-item h3{font-size:1.25rem;font-weight:600}
.menu-line{display:flex;align-items:baseline;gap:14px}
.menu-dots{flex:1 1 24px;min-width:24px;border-bottom:2px dotted var(--line-strong);transform:translateY(-.3em)}
.menu-price{flex:none;color:var(--accent-ink);font-weight:700;font-variant-numeric:tabular-nums;white-space:nowrap}
.menu-desc{margin-top:6px;color:var(--muted);font-size:.975rem;max-width:56ch}
.contact{display:grid;gap:24px}
.contact-list{display:grid;gap:16px}
.contact-grid{grid-template-columns:repeat(auto-fit,minmax(min(100%,250px),1fr))}
.contact-1{max-width:440px}
.contact-2{max-width:780px}
.t-vitrine .contact-grid,.t-restaurant .contact-grid{margin-left:auto;margin-right:auto}
.contact-card{display:flex;gap:16px;align-items:flex-start;padding:22px;border:1px solid var(--line);border-radius:var(--radius-lg);background:var(--surface);box-shadow:var(--shadow)}
.alt .contact-card,.alt .hours-card{background:var(--bg)}
.contact-card>div{min-width:0}
.contact-icon{display:grid;place-items:center;flex:none;width:46px;height:46px;border-radius:var(--radius);background:var(--primary-soft);color:var(--primary-ink)}
.contact-card h3{margin-bottom:4px;color:var(--muted);font:700 .8125rem/1.4 var(--sans);letter-spacing:.1em;text-transform:uppercase}
.contact-card p{margin:0;font-size:1.0625rem}
.contact-card a{font-weight:600;overflow-wrap:anywhere}
.map-link{display:inline-flex;align-items:center;gap:6px;margin-top:8px}
.hours-card{padding:clamp(22px,3vw,30px);border:1px solid var(--line);border-radius:var(--radius-lg);background:var(--surface);box-shadow:var(--shadow)}
.hours-card h3{display:flex;align-items:center;gap:10px;margin-bottom:8px;font-size:1.25rem}
.hours-card h3 .icon{color:var(--accent-ink)}
.hours{width:100%;border-collapse:collapse;font-variant-numeric:tabular-nums}
.hours th,.hours td{padding:11px 0;border-bottom:1px solid var(--line);vertical-align:top}
.hours tr:last-child th,.hours tr:last-child td{border-bottom:0}
.hours th{padding-right:16px;text-align:left;font-weight:600}
.hours td{text-align:right;color:var(--ink-soft)}
.hours td span{display:inline-block;white-space:nowrap}
.hours .closed td{color:var(--muted)}
.band{margin-top:clamp(40px,6vw,64px);display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:28px;padding:clamp(28px,5vw,52px);border-radius:var(--radius-lg);color:var(--on-primary);background:radial-gradient(circle at 100% 0%,${rgba(c.accent, 0.28)},transparent 50%),linear-gradient(135deg,${c.primary},${c.heroEnd})}
.band h3{color:inherit;font-size:clamp(1.5rem,3.4vw,2.125rem);letter-spacing:-.02em}
.band p{margin:10px 0 0;max-width:40em;color:${onP(0.88)}}
.band>div:first-child{flex:1 1 320px}
.band .actions{flex:0 1 auto;margin-top:0}
.band .btn-outline{border-color:${onP(0.55)};color:var(--on-primary)}
.footer{padding:48px 0 36px;background:${c.footerBg};color:rgba(255,255,255,.74);font-size:.9375rem}
.footer-top{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:24px;padding-bottom:28px;border-bottom:1px solid rgba(255,255,255,.14)}
.footer-brand{display:flex;align-items:center;gap:14px}
.footer-name{margin:0;color:#ffffff;font-family:var(--display);font-weight:700;font-size:1.125rem}
.footer-city{margin:0}
.footer-links{display:flex;flex-wrap:wrap;gap:10px 24px}
.footer a{display:inline-flex;align-items:center;gap:8px;color:#ffffff;text-decoration:none;overflow-wrap:anywhere}
.footer a:hover{text-decoration:underline}
.footer-legal{margin:24px 0 0;font-size:.8125rem}
.hero-center .hero-text{text-align:center;max-width:820px;margin:0 auto}
.hero-center .tagline{margin-left:auto;margin-right:auto}
.hero-center .actions{justify-content:center}
.t-vitrine .section-head{margin-left:auto;margin-right:auto;text-align:center}
.t-vitrine .section-head h2::after{margin-left:auto;margin-right:auto}
.t-vitrine .prose{margin:0 auto}
.t-restaurant .hero h1{font-weight:700;letter-spacing:-.01em}
.t-restaurant .eyebrow{font-family:var(--display);font-size:1.0625rem;font-style:italic;font-weight:400;letter-spacing:0;text-transform:none}
.t-restaurant .section-head{margin-left:auto;margin-right:auto;text-align:center}
.t-restaurant .section-head h2::after{width:72px;height:2px;margin-left:auto;margin-right:auto}
.t-restaurant .menu,.t-restaurant .prose{margin-left:auto;margin-right:auto}
.t-artisan .hero h1{letter-spacing:-.03em}
.t-artisan .hero-text{padding-left:clamp(18px,3vw,32px);border-left:6px solid var(--accent)}
.t-artisan .card{border-top:4px solid var(--accent)}
.t-artisan .section-head h2::after{width:40px;height:6px;border-radius:0}
@media (min-width:760px){
.menu-2{grid-template-columns:1fr 1fr}
.contact-split{grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);align-items:start}
}
@media (min-width:960px){
.hero-grid.has-aside{grid-template-columns:minmax(0,1.3fr) minmax(320px,1fr);gap:64px}
}
@media (max-width:879px){.nav{display:none}}
@media (max-width:520px){
.actions .btn{flex:1 1 100%}
.band .actions{flex:1 1 100%}
.brand{font-size:1rem;gap:10px}
.mark{width:34px;height:34px}
.footer-top{flex-direction:column;align-items:flex-start}
}
@media (prefers-reduced-motion:reduce){html{scroll-behavior:auto}*,*::before,*::after{transition:none!important}}
@media print{.topbar,.skip,.actions,.band{display:none}.hero{color:#000;background:none}.hero-card,.card,.contact-card,.hours-card{box-shadow:none}}
`;
}

// ---------- The other files ----------

const NOT_FOUND_CSS = `.page-404 main{min-height:calc(100vh - 69px);display:flex;align-items:center}
.not-found{max-width:560px;margin:0 auto;text-align:center}
.not-found-code{margin:0;color:var(--primary-ink);font:800 clamp(5rem,18vw,8rem)/1 var(--display);letter-spacing:-.04em}
.not-found h1{margin:8px 0 16px;font-size:clamp(1.75rem,4vw,2.375rem)}
.not-found p{color:var(--muted)}
.not-found .actions{justify-content:center}
`;

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

// ---------- Images: the editor's logo and pictures (a hook kept apart from the templates) ----------
//
// The caller (src/site/store.ts) hands over pictures it has already checked, resized and
// recompressed, each with its bytes, its narrower copies and paths that carry its hash, so the
// files stay deterministic and a new picture is a new name. The browser picks the copy its layout
// and screen need (srcset, sizes). Without images every file is byte for byte what it was before
// this hook.

export interface SiteImage {
  /** where the file goes in the site: "/assets/<kind>-<hash>.<ext>" */
  path: string;
  /** the bytes to deploy; may be left out when only the page is rendered (the editor's preview) */
  content?: Buffer;
  width: number;
  height: number;
  /** what the picture shows, for people who cannot see it; the logo needs none (the name follows it) */
  alt?: string;
  /** where the page loads it from, when not from `path` (the editor's preview, which shows `src` alone) */
  src?: string;
  /** narrower copies of the same picture, for srcset: "/assets/<kind>-<hash>-<width>.<ext>" */
  variants?: SiteImageVariant[];
}

export interface SiteImageVariant {
  path: string;
  width: number;
  /** the bytes to deploy; left out like SiteImage.content */
  content?: Buffer;
}

export interface SiteImages {
  logo?: SiteImage;
  /** shown as a gallery, in this order */
  pictures?: SiteImage[];
}

const IMAGE_PATH = /^\/assets\/[a-z0-9][a-z0-9-]{0,80}\.(png|jpg|webp|gif)$/;
const IMAGE_SRC = /^(\/[A-Za-z0-9._~\/-]*|https:\/\/[A-Za-z0-9.-]+(:\d+)?\/[A-Za-z0-9._~\/-]*)$/;

/** Only well-formed pictures get in; a path that could land outside /assets/ is a programming error. */
function siteImages(images: SiteImages | undefined): SiteImages | undefined {
  const valid = (i: SiteImage | undefined): SiteImage | undefined => {
    if (!i) return undefined;
    if (!IMAGE_PATH.test(i.path) || (i.src !== undefined && !IMAGE_SRC.test(i.src))) throw new RangeError(`not an image path: ${JSON.stringify(i.path)}`);
    if (!(Number.isInteger(i.width) && i.width > 0 && Number.isInteger(i.height) && i.height > 0)) throw new RangeError(`bad image size: ${i.path}`);
    for (const v of i.variants ?? []) {
      if (!IMAGE_PATH.test(v.path)) throw new RangeError(`not an image path: ${JSON.stringify(v.path)}`);
      // a copy is narrower than its picture: srcset then never offers the same width twice
      if (!(Number.isInteger(v.width) && v.width > 0 && v.width < i.width)) throw new RangeError(`bad image variant width: ${v.path}`);
    }
    return i;
  };
  const logo = valid(images?.logo);
  const pictures = (images?.pictures ?? []).map(valid).filter((i): i is SiteImage => !!i);
  if (!logo && pictures.length === 0) return undefined;
  return { ...(logo ? { logo } : {}), ...(pictures.length ? { pictures } : {}) };
}

/** Every file the pictures add, each picture followed by its narrower copies. */
function imageFiles(images: SiteImages | undefined): { path: string; content: Buffer }[] {
  if (!images) return [];
  return [images.logo, ...(images.pictures ?? [])]
    .filter((i): i is SiteImage => !!i)
    .flatMap((i): { path: string; content?: Buffer }[] => [i, ...(i.variants ?? [])])
    .flatMap((f) => (f.content ? [{ path: f.path, content: f.content }] : []));
}

/**
 * How wide a gallery picture shows (IMAGES_CSS): one column on a phone, two on a small tablet,
 * then three at most in the 1140 px wrap, about 340 px each.
 */
const GALLERY_SIZES = '(max-width: 600px) 100vw, (max-width: 900px) 50vw, 340px';

function imageTag(i: SiteImage, cls: string, alt: string, opts: { lazy: boolean; sizes?: string }): string {
  // the preview loads the one picture from the editor's API, where the copies are not served
  const srcset = !i.src && i.variants?.length && opts.sizes
    ? ` srcset="${[...i.variants, { path: i.path, width: i.width }].map((v) => `${escapeHtml(v.path)} ${v.width}w`).join(', ')}" sizes="${opts.sizes}"`
    : '';
  return `<img class="${cls}" src="${escapeHtml(i.src ?? i.path)}"${srcset} alt="${alt}" width="${i.width}" height="${i.height}"${opts.lazy ? ' loading="lazy"' : ''} decoding="async">`;
}

/** The home page shows the logo and the gallery, the 404 page only the logo: the CSS goes where it is used. */
function showsImages(v: SiteView, home: boolean): boolean {
  return home ? !!v.images : !!v.images?.logo;
}

/** The logo when there is one, else the initials. */
function brandMark(v: SiteView): string {
  return v.images?.logo ? imageTag(v.images.logo, 'logo', '', { lazy: false }) : `<span class="mark" aria-hidden="true">${escapeHtml(v.initials)}</span>`;
}

/** The gallery goes just before the contact details (or last). */
function withGallery<T extends string>(v: SiteView, sections: T[]): (T | 'gallery')[] {
  if (!v.images?.pictures?.length) return sections;
  const at = sections.indexOf('contact' as T);
  const out: (T | 'gallery')[] = [...sections];
  out.splice(at < 0 ? out.length : at, 0, 'gallery');
  return out;
}

const GALLERY_COPY: Record<SiteLocale, { eyebrow: string; title: string }> = {
  fr: { eyebrow: 'Galerie', title: 'En images' },
  en: { eyebrow: 'Gallery', title: 'In pictures' },
};

function galleryHtml(v: SiteView, t: (s: string) => string, alt: boolean): string {
  const c = GALLERY_COPY[v.locale];
  const items = (v.images?.pictures ?? []).map((p) => `<li>${imageTag(p, 'photo', t(oneLine(p.alt)), { lazy: true, sizes: GALLERY_SIZES })}</li>`).join('\n');
  return `<section class="section${alt ? ' alt' : ''}" id="gallery" aria-labelledby="gallery-title">
<div class="wrap">
<div class="section-head">
<p class="eyebrow">${t(c.eyebrow)}</p>
<h2 id="gallery-title">${t(c.title)}</h2>
</div>
<ul class="gallery">
${items}
</ul>
</div>
</section>`;
}

/** Link previews show the first picture, else the logo. */
function ogImageMeta(v: SiteView): string[] {
  const image = v.images?.pictures?.[0] ?? v.images?.logo;
  if (!image) return [];
  return [
    `<meta property="og:image" content="${escapeHtml(`${v.url}${image.path.slice(1)}`)}">`,
    `<meta property="og:image:width" content="${image.width}">`,
    `<meta property="og:image:height" content="${image.height}">`,
  ];
}

const IMAGES_CSS = `.logo{display:block;flex:none;width:auto;height:40px;max-width:180px;object-fit:contain}
.gallery{display:grid;gap:clamp(12px,2vw,20px);grid-template-columns:repeat(auto-fill,minmax(min(100%,260px),1fr))}
.gallery img{display:block;width:100%;height:auto;aspect-ratio:4/3;object-fit:cover;border-radius:var(--radius-lg);box-shadow:var(--shadow);background:var(--line)}
`;
