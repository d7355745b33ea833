// The editor's working copy of the site document: every field as the person typed it (prices as text, list items with
// stable keys), and the conversions to and from the API's document; pure, no React.
import type { Locale } from '../i18n.ts';
import { LEGAL_FIELDS, WEEKDAYS, type Colors, type LegalField, type SiteContent, type TemplateId, type Weekday } from './siteApi.ts';

export interface ServiceDraft {
  key: string;
  name: string;
  description: string;
  /** as typed: "12,50", "12.5", "" (no price) */
  price: string;
}

export interface HoursDraft {
  key: string;
  day: Weekday;
  opens: string;
  closes: string;
}

export interface PictureDraft {
  key: string;
  assetId: string;
  alt: string;
}

export interface Draft {
  template: TemplateId;
  locale: Locale;
  businessName: string;
  tagline: string;
  about: string;
  city: string;
  services: ServiceDraft[];
  hours: HoursDraft[];
  email: string;
  phone: string;
  address: string;
  mapUrl: string;
  colors: Colors;
  /** the legal notice, each field as typed */
  legal: Record<LegalField, string>;
  logoAssetId: string;
  pictures: PictureDraft[];
}

let counter = 0;
/** A key for a list item, stable while it moves: React's key, and the name of its inputs' errors. */
export function newKey(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter.toString(36)}`;
}

export function priceText(cents: number | undefined, locale: Locale): string {
  if (cents === undefined) return '';
  const whole = cents % 100 === 0;
  const text = whole ? String(cents / 100) : (cents / 100).toFixed(2);
  return locale === 'fr' ? text.replace('.', ',') : text;
}

/** "12", "12,5", "12.50", "1 200,00 €" → cents; "" → undefined (no price); anything else → null (not a price). */
export function parsePrice(text: string): number | undefined | null {
  let t = text.replace(/[\s\u00a0\u202f€]/g, '').replace(/^EUR|EUR$/i, '');
  if (t === '') return undefined;
  // both separators ("1.200,50", "1,200.50"): the last one is the decimal point, the other groups thousands
  if (t.includes('.') && t.includes(',')) {
    const decimal = t.lastIndexOf('.') > t.lastIndexOf(',') ? '.' : ',';
    t = t.split(decimal === '.' ? ',' : '.').join('');
  }
  const normalised = t.replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(normalised)) return null;
  const cents = Math.round(Number(normalised) * 100);
  return Number.isSafeInteger(cents) ? cents : null;
}

export function draftFromContent(doc: SiteContent, locale: Locale): Draft {
  return {
    template: doc.template,
    locale: doc.locale,
    businessName: doc.businessName ?? '',
    tagline: doc.tagline ?? '',
    about: doc.about ?? '',
    city: doc.city ?? '',
    services: (doc.services ?? []).map((s) => ({ key: newKey('s'), name: s.name, description: s.description ?? '', price: priceText(s.priceCents, locale) })),
    hours: sortHours((doc.openingHours ?? []).map((h) => ({ key: newKey('h'), day: h.day, opens: h.opens, closes: h.closes }))),
    email: doc.contact?.email ?? '',
    phone: doc.contact?.phone ?? '',
    address: doc.contact?.address ?? '',
    mapUrl: doc.mapUrl ?? '',
    colors: { ...doc.colors },
    legal: Object.fromEntries(LEGAL_FIELDS.map((f) => [f, doc.legal?.[f] ?? ''])) as Record<LegalField, string>,
    logoAssetId: doc.logoAssetId ?? '',
    pictures: (doc.pictures ?? []).map((p) => ({ key: newKey('p'), assetId: p.assetId, alt: p.alt ?? '' })),
  };
}

/** Monday first, then by opening time; the order the site prints them in and the order they are sent in. */
export function sortHours(hours: HoursDraft[]): HoursDraft[] {
  return [...hours].sort((a, b) => WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day) || a.opens.localeCompare(b.opens));
}

/** A problem found before anything is sent (a price that is not a number); keyed like the API's errors. */
export interface LocalProblem {
  key: string;
  code: 'price_invalid';
}

export interface Converted {
  document: SiteContent;
  /** each list position of the document → the key of the item it came from, to put the API's errors back on the right input */
  keys: { services: string[]; hours: string[]; pictures: string[] };
  problems: LocalProblem[];
}

const opt = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());

/** The document to send: trimmed the way the API trims, empty optional fields left out. */
export function contentFromDraft(d: Draft): Converted {
  const problems: LocalProblem[] = [];
  const services = d.services.map((s) => {
    const cents = parsePrice(s.price);
    if (cents === null) problems.push({ key: `services.${s.key}.price`, code: 'price_invalid' });
    return {
      name: s.name.trim(),
      ...(opt(s.description) ? { description: opt(s.description) } : {}),
      ...(typeof cents === 'number' ? { priceCents: cents } : {}),
    };
  });
  const hours = sortHours(d.hours);
  const contact: SiteContent['contact'] = {};
  if (opt(d.email)) contact.email = opt(d.email);
  if (opt(d.phone)) contact.phone = opt(d.phone);
  if (opt(d.address)) contact.address = opt(d.address);
  const legal: NonNullable<SiteContent['legal']> = {};
  for (const f of LEGAL_FIELDS) if (opt(d.legal?.[f] ?? '')) legal[f] = opt(d.legal[f]);
  const document: SiteContent = {
    template: d.template,
    locale: d.locale,
    businessName: d.businessName.trim(),
    ...(opt(d.tagline) ? { tagline: opt(d.tagline) } : {}),
    ...(opt(d.about) ? { about: opt(d.about) } : {}),
    ...(opt(d.city) ? { city: opt(d.city) } : {}),
    ...(services.length ? { services } : {}),
    ...(hours.length ? { openingHours: hours.map((h) => ({ day: h.day, opens: h.opens, closes: h.closes })) } : {}),
    contact,
    ...(opt(d.mapUrl) ? { mapUrl: opt(d.mapUrl) } : {}),
    colors: { primary: d.colors.primary.trim(), accent: d.colors.accent.trim() },
    ...(Object.keys(legal).length ? { legal } : {}),
    ...(d.logoAssetId ? { logoAssetId: d.logoAssetId } : {}),
    ...(d.pictures.length ? { pictures: d.pictures.map((p) => ({ assetId: p.assetId, ...(opt(p.alt) ? { alt: opt(p.alt) } : {}) })) } : {}),
  };
  return {
    document,
    keys: { services: d.services.map((s) => s.key), hours: hours.map((h) => h.key), pictures: d.pictures.map((p) => p.key) },
    problems,
  };
}

/**
 * The same content always gives the same text: keys sorted (PostgreSQL's jsonb reorders them),
 * empty strings and empty lists dropped (the API treats them as absent).
 */
export function canonical(doc: SiteContent): string {
  const clean = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined || x === '' || (Array.isArray(x) && x.length === 0)) continue;
        out[k] = clean(typeof x === 'string' ? x.trim() : x);
      }
      return out;
    }
    return typeof v === 'string' ? v.trim() : v;
  };
  return JSON.stringify(clean(doc));
}

/**
 * The API's error path ("document.services.2.name") → the key of the input it is about
 * ("services.<key>.name"), using the keys of the document that was sent.
 */
export function errorKey(path: string, keys: Converted['keys']): string {
  const p = path.replace(/^document\./, '').split('.');
  const [head, index, leaf] = p;
  const at = (list: string[]) => (index !== undefined && /^\d+$/.test(index) ? list[Number(index)] : undefined);
  switch (head) {
    case 'services': {
      const key = at(keys.services);
      if (!key) return 'services';
      return `services.${key}.${leaf === 'priceCents' ? 'price' : (leaf ?? 'name')}`;
    }
    case 'openingHours': {
      const key = at(keys.hours);
      if (!key) return 'hours';
      return `hours.${key}.${leaf === 'opens' ? 'opens' : leaf === 'day' ? 'opens' : 'closes'}`;
    }
    case 'pictures': {
      const key = at(keys.pictures);
      if (!key) return 'pictures';
      return `pictures.${key}.alt`;
    }
    case 'contact':
      return index ? `contact.${index}` : 'contact.email';
    case 'colors':
      return index === 'accent' ? 'colors.accent' : 'colors.primary';
    case 'legal':
      return index && (LEGAL_FIELDS as readonly string[]).includes(index) ? `legal.${index}` : 'legal.legalName';
    case 'logoAssetId':
      return 'logo';
    case 'businessName':
    case 'tagline':
    case 'about':
    case 'city':
    case 'mapUrl':
    case 'template':
    case 'locale':
      return head;
    default:
      return 'form';
  }
}

/** The id of the input an error key belongs to (ids cannot hold dots comfortably in CSS selectors). */
export function inputId(key: string): string {
  return `ed-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** Whether the colours are a template's own (then choosing another template takes that one's colours too). */
export function sameColors(a: Colors, b: Colors): boolean {
  return a.primary.toLowerCase() === b.primary.toLowerCase() && a.accent.toLowerCase() === b.accent.toLowerCase();
}

/** A field's content, whatever the list keys and the spaces around it. */
function fieldText(v: unknown): string {
  return JSON.stringify(v, (k, x) => (k === 'key' ? undefined : typeof x === 'string' ? x.trim() : x));
}

/**
 * Three-way, field by field: what this tab changed since `base` (its last saved version) goes onto `theirs`
 * (the newer version saved elsewhere); what it did not touch stays as the other tab left it.
 */
export function mergeDrafts(base: Draft | null, mine: Draft, theirs: Draft): Draft {
  if (!base) return mine;
  const out = { ...theirs } as Record<keyof Draft, unknown>;
  for (const k of Object.keys(mine) as (keyof Draft)[]) {
    if (fieldText(mine[k]) !== fieldText(base[k])) out[k] = mine[k];
  }
  return out as unknown as Draft;
}
