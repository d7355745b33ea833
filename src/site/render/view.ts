// What a page shows, checked and formatted once from the document: names, prices, hours, contact links, description.
import { WEEKDAYS, type SiteDocument, type SiteLocale, type SiteTemplate, type Weekday } from '../document.ts';
import { LAYOUTS, type TemplateLayout } from './layouts.ts';
import { palette, type Palette } from './palette.ts';
import type { SiteImages } from './pictures.ts';
import { COPY, type SiteCopy } from './words.ts';

/** Prices in the document are euro cents: every order we take is in euros. */
export const CURRENCY = 'EUR';

export interface ServiceView {
  name: string;
  description: string[][];
  /** as shown: "24,50 €", "On quote", or nothing */
  price?: string;
  cents?: number;
}

export interface HoursRow {
  label: string;
  /** one entry per opening, empty when closed */
  times: string[];
}

export interface SiteView {
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
  /** the legal page: its path (in the site's language) and what the publisher told about themselves */
  legal: LegalView;
}

export interface LegalView {
  path: string;
  legalName?: string;
  legalForm?: string;
  registration?: string;
  vatNumber?: string;
  /** the registered office, else the contact address */
  address: string[];
  publicationDirector?: string;
}

/** The legal page's address: French for a French site, as French visitors expect to find it. */
export const LEGAL_PATHS: Record<SiteLocale, string> = { fr: '/mentions-legales.html', en: '/legal-notice.html' };

function legalView(doc: SiteDocument, locale: SiteLocale, contactAddress: string[]): LegalView {
  const l = doc.legal && typeof doc.legal === 'object' ? doc.legal : {};
  const text = (v: unknown) => oneLine(v) || undefined;
  const office = paragraphs(l.address).flat();
  return {
    path: LEGAL_PATHS[locale],
    legalName: text(l.legalName),
    legalForm: text(l.legalForm),
    registration: text(l.registration),
    vatNumber: text(l.vatNumber),
    address: office.length ? office : contactAddress,
    publicationDirector: text(l.publicationDirector),
  };
}

/** Control characters break HTML and XML; line breaks stay, they mean something in an address. */
export function clean(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .trim();
}

export function oneLine(value: unknown): string {
  return clean(value).replace(/\s+/g, ' ');
}

/** Blank lines separate paragraphs, single line breaks stay inside one. */
export function paragraphs(value: unknown): string[][] {
  return clean(value)
    .split(/\n[ \t]*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((l) => l.trim().replace(/\s+/g, ' '))
        .filter(Boolean),
    )
    .filter((p) => p.length > 0);
}

export function safeEmail(value: unknown): string | undefined {
  const email = oneLine(value);
  // Narrower than RFC 5322 on purpose: the address goes into a mailto: URL unencoded.
  return /^[A-Za-z0-9._+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(email) ? email : undefined;
}

export function safeTel(phone: string): string | undefined {
  const digits = phone.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  return /^\+?\d{3,20}$/.test(digits) ? `tel:${digits}` : undefined;
}

export function safeWebUrl(value: unknown): string | undefined {
  const raw = oneLine(value);
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function formatPrice(cents: number, copy: SiteCopy): string {
  const whole = cents % 100 === 0;
  return new Intl.NumberFormat(copy.intl, {
    style: 'currency',
    currency: CURRENCY,
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: whole ? 0 : 2,
  }).format(cents / 100);
}

/** "09:30" → "9h30" (fr) / "9:30" (en); "12:00" → "12h" in French, the way shop doors say it. */
export function formatTime(hhmm: string, locale: SiteLocale): string {
  const [h, m] = hhmm.split(':');
  const hour = String(Number(h));
  if (locale === 'fr') return m === '00' ? `${hour}h` : `${hour}h${m}`;
  return `${hour}:${m}`;
}

export const isTime = (v: unknown): v is string => typeof v === 'string' && /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/.test(v);

export function weekView(doc: SiteDocument, locale: SiteLocale): { week: HoursRow[]; openings: SiteView['openings'] } {
  const copy = COPY[locale];
  const openings = (Array.isArray(doc.openingHours) ? doc.openingHours : [])
    .filter((h) => h && (WEEKDAYS as readonly string[]).includes(h.day) && isTime(h.opens) && isTime(h.closes) && h.opens !== h.closes)
    .map((h) => ({ day: h.day, opens: h.opens, closes: h.closes }));
  if (openings.length === 0) return { week: [], openings: [] };
  openings.sort((a, b) => WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day) || a.opens.localeCompare(b.opens));
  const perDay = WEEKDAYS.map((day) => openings.filter((o) => o.day === day).map((o) => `${formatTime(o.opens, locale)} – ${formatTime(o.closes, locale)}`));
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

export const FILLER_WORDS = new Set(['l', 'd', 'le', 'la', 'les', 'de', 'du', 'des', 'et', 'the', 'and', 'of', 'a', 'au', 'aux']);

/** "Boulangerie Dupont" → "BD": the monogram of the favicon and the top bar. */
export function initialsOf(name: string): string {
  const words = name.split(/[^\p{L}\p{N}]+/u).filter((w) => w && !FILLER_WORDS.has(w.toLowerCase()));
  const letters = words.slice(0, 2).map((w) => Array.from(w)[0].toUpperCase());
  return letters.join('') || Array.from(name.trim())[0]?.toUpperCase() || '•';
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

export function siteView(doc: SiteDocument, host: string): SiteView {
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
  const summary = [tagline, about.flat().join(' ')]
    .filter((s): s is string => !!s)
    .map(sentence)
    .join(' ');
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
    // shown only as the text of tel: links; non-breaking, so a number never wraps in the middle
    phone: tel && phone ? phone.replace(/ /g, '\u00a0').replace(/-/g, '\u2011') : undefined,
    tel,
    address,
    mapHref,
    hasContact: !!(email || tel || address.length > 0 || mapHref),
    legal: legalView(doc, locale, address),
  };
}
