// The site document: what a customer's website says, the one thing the editor edits and the renderer turns into files.
import { z } from 'zod';
import { LOCALES, type Locale } from '../domain/locale.ts';

/** Adding a template: a name here, its colours and keywords below, its layout in render.ts. */
export const SITE_TEMPLATES = ['vitrine', 'restaurant', 'artisan'] as const;
export type SiteTemplate = (typeof SITE_TEMPLATES)[number];

/** Monday first, the way French and British calendars print a week. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A site is written in one of the languages we speak. */
export const SITE_LOCALES = LOCALES;
export type SiteLocale = Locale;

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected #rrggbb');
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
/** "24:00" lets a day close at midnight without pretending it closes at 00:00 the same day. */
const closingTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected HH:MM');

// Limits are what a page can show well, not what a database can store: the editor reports them field by field.
// Control characters have no business in a web page; only multi-line fields keep their line breaks.
// One-line fields follow the order form's rule; free text allows format characters (an emoji's joiner).
const line = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u, 'no control characters');
const paragraphs = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^(?:[^\p{Cc}\u2028\u2029]|\r?\n)*$/u, 'no control characters');

export const serviceSchema = z.strictObject({
  name: line(120).min(1),
  description: paragraphs(600).optional(),
  /** in euro cents; absent means "no price shown" (or "on quote" for a craftsman) */
  priceCents: z.number().int().min(0).max(100_000_000).optional(),
});

export const openingHoursSchema = z
  .strictObject({
    day: z.enum(WEEKDAYS),
    opens: clockTime,
    closes: closingTime,
  })
  // closes < opens is allowed: a bar open 18:00–02:00 closes after midnight.
  .refine((h) => h.opens !== h.closes, { message: 'opens and closes must differ', path: ['closes'] });

/**
 * The publisher's identity for the legal page ("mentions légales"). Free text on purpose: a SIRET,
 * an RCS or RM number, a VAT number or none of them fit different kinds of businesses.
 */
export const legalSchema = z.strictObject({
  /** company name or, for a sole trader, first and last name */
  legalName: line(160).optional(),
  /** "SARL au capital de 10 000 €", "Entreprise individuelle" */
  legalForm: line(120).optional(),
  /** "SIRET 123 456 789 00012", "RCS Lyon 123 456 789" */
  registration: line(120).optional(),
  vatNumber: line(40).optional(),
  /** registered office, when it is not the contact address */
  address: paragraphs(300).optional(),
  publicationDirector: line(120).optional(),
});

// Strict: a key the schema does not know is refused (422 field_unknown), never silently dropped.
export const siteDocumentSchema = z.strictObject({
  template: z.enum(SITE_TEMPLATES),
  locale: z.enum(SITE_LOCALES),
  businessName: line(120).min(1),
  tagline: line(160).optional(),
  /** free text; a blank line starts a new paragraph */
  about: paragraphs(4000).optional(),
  city: line(80).optional(),
  services: z.array(serviceSchema).max(60).optional(),
  /** several entries for one day make split hours (lunch and dinner) */
  openingHours: z.array(openingHoursSchema).max(28).optional(),
  contact: z.strictObject({
    email: z.email().max(254).optional(),
    phone: line(40)
      .regex(/^\+?[0-9 ()./-]*$/, 'digits, spaces, + ( ) . / - only')
      .optional(),
    /** postal address; line breaks are kept */
    address: paragraphs(300).optional(),
  }),
  mapUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  colors: z.strictObject({ primary: hexColor, accent: hexColor }),
  /** the legal notice French law asks of every professional site (LCEN art. 6); the host's part is filled in by the renderer */
  legal: legalSchema.optional(),
});

export type SiteDocument = z.infer<typeof siteDocumentSchema>;
export type SiteService = z.infer<typeof serviceSchema>;
export type SiteOpeningHours = z.infer<typeof openingHoursSchema>;
export type SiteLegal = z.infer<typeof legalSchema>;

/** Each template's own palette; the editor's "reset colours" goes back to these. */
export const TEMPLATE_COLORS: Record<SiteTemplate, SiteDocument['colors']> = {
  vitrine: { primary: '#1f3a5f', accent: '#e07a5f' },
  restaurant: { primary: '#6b2737', accent: '#d9a441' },
  artisan: { primary: '#263238', accent: '#f29e38' },
};

/** Word beginnings, accents dropped: "Boulangeries", "Café-Bar" and "l'atelier" all match. */
const TEMPLATE_KEYWORDS: [SiteTemplate, string[]][] = [
  [
    'restaurant',
    [
      'boulangerie',
      'patisserie',
      'restaurant',
      'resto',
      'cafe',
      'bistro',
      'brasserie',
      'pizzeria',
      'creperie',
      'traiteur',
      'bakery',
      'coffee',
      'auberge',
      'cantine',
    ],
  ],
  [
    'artisan',
    [
      'plombier',
      'plomberie',
      'electricien',
      'electricite',
      'menuisier',
      'menuiserie',
      'artisan',
      'atelier',
      'macon',
      'maconnerie',
      'couvreur',
      'serrurier',
      'chauffagiste',
      'carreleur',
      'charpentier',
      'ebeniste',
      'plumber',
      'plumbing',
      'electrician',
      'carpenter',
      'joiner',
      'workshop',
      'builder',
    ],
  ],
];

/** The template a business most likely wants, guessed from its name; the customer can change it later. */
export function templateForBusiness(businessName: string): SiteTemplate {
  const words = businessName
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  for (const [template, keywords] of TEMPLATE_KEYWORDS) {
    if (words.some((w) => keywords.some((k) => w.startsWith(k)))) return template;
  }
  return 'vitrine';
}

export interface SiteOrder {
  businessName: string;
  city?: string | null;
  email: string;
  locale: SiteLocale;
  domain: string;
}

/** French says "au Havre", "aux Sables-d'Olonne", "à Lyon". */
function inCityFr(city: string): string {
  const les = /^les\s+(.*)$/i.exec(city);
  if (les) return `aux ${les[1]}`;
  const le = /^le\s+(.*)$/i.exec(city);
  if (le) return `au ${le[1]}`;
  return `à ${city}`;
}

type Copy = (name: string, city: string | undefined) => { tagline: string; about: string };

// Starting copy, deliberately modest: it goes live before the customer has read it, so it promises nothing
// (no prices, no hours, no "open every day") the business might not keep.
const STARTER_COPY: Record<SiteTemplate, Record<SiteLocale, Copy>> = {
  vitrine: {
    fr: (name, city) => ({
      tagline: city ? `À votre service ${inCityFr(city)}` : 'À votre service, tout simplement',
      about:
        `Bienvenue chez ${name}${city ? `, ${inCityFr(city)}` : ''}. ` +
        'Découvrez notre activité et n’hésitez pas à nous contacter : nous serons heureux de répondre à toutes vos questions.',
    }),
    en: (name, city) => ({
      tagline: city ? `At your service in ${city}` : 'At your service',
      about:
        `Welcome to ${name}${city ? `, in ${city}` : ''}. ` +
        'Discover what we do and feel free to get in touch: we will be happy to answer all your questions.',
    }),
  },
  restaurant: {
    fr: (name, city) => ({
      tagline: city ? `Saveurs et convivialité ${inCityFr(city)}` : 'Saveurs et convivialité',
      about:
        `${name} vous accueille${city ? ` ${inCityFr(city)}` : ''} avec des produits choisis avec soin et le sourire. ` +
        'Passez nous voir : nous serons ravis de vous recevoir.',
    }),
    en: (name, city) => ({
      tagline: city ? `Good food and a warm welcome in ${city}` : 'Good food and a warm welcome',
      about: `${name} welcomes you${city ? ` in ${city}` : ''} with carefully chosen products and a smile. Drop by: we look forward to seeing you.`,
    }),
  },
  artisan: {
    fr: (name, city) => ({
      tagline: city ? `Votre artisan de confiance ${inCityFr(city)} et alentours` : 'Votre artisan de confiance',
      about:
        `${name} met son savoir-faire à votre service${city ? ` ${inCityFr(city)} et dans les environs` : ''}. ` +
        'Travail soigné, conseils personnalisés et devis détaillé : contactez-nous pour parler de votre projet.',
    }),
    en: (name, city) => ({
      tagline: city ? `Trusted craftsmanship in ${city} and nearby` : 'Trusted craftsmanship',
      about:
        `${name} puts its know-how at your service${city ? ` in ${city} and the surrounding area` : ''}. ` +
        'Careful work, honest advice and a detailed quote: get in touch to talk about your project.',
    }),
  },
};

/**
 * The document a site starts from, written from the order alone, so the pipeline can deploy a
 * presentable page before the customer has opened the editor.
 */
export function defaultSiteDocument(order: SiteOrder): SiteDocument {
  const businessName = order.businessName.trim().replace(/\s+/g, ' ');
  const city = order.city?.trim().replace(/\s+/g, ' ') || undefined;
  const template = templateForBusiness(businessName);
  const { tagline, about } = STARTER_COPY[template][order.locale](businessName, city);
  const doc: SiteDocument = {
    template,
    locale: order.locale,
    businessName,
    tagline,
    about,
    contact: { email: order.email.trim() },
    colors: { ...TEMPLATE_COLORS[template] },
  };
  if (city) doc.city = city;
  return doc;
}
