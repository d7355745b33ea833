// Names to offer when the customer's domain is taken: the same name under another extension, then close variations, best first.
import { parseDomainName, toUnicode, type DomainName } from './domain-name.ts';

export type AlternativeReason = 'other_tld' | 'prefix' | 'suffix' | 'hyphenated' | 'city' | 'business_name';

export interface AlternativeCandidate {
  /** ASCII form, ready for an availability check */
  domain: string;
  /** 1 is the best; ranks are consecutive */
  rank: number;
  reason: AlternativeReason;
}

export interface AlternativeContext {
  businessName: string;
  city?: string;
  /** the catalogue, in its own order (config.tlds) */
  tlds: string[];
  /** at most this many candidates (default 40) */
  max?: number;
}

/** French first: most of our customers are small French businesses. */
const PREFERRED_TLDS = ['fr', 'com'];
const PREFIXES = ['mon', 'ma', 'le', 'la', 'chez'];
const ARTICLES = ['le', 'la', 'les'];
const SUFFIX_WORDS = ['shop', 'boutique', 'pro'];
/** words of a business name that say nothing about it */
const FILLER_WORDS = new Set(['l', 'd', 'le', 'la', 'les', 'de', 'du', 'des', 'et', 'the', 'and', 'of', 'sarl', 'sas', 'sasu', 'eurl', 'sa', 'sci', 'ei']);
const DEFAULT_MAX = 40;

/**
 * How far a variation is from what the customer asked for: lower is closer. Each added character
 * costs a little, so that short variations come before long ones of the same kind.
 */
const REASON_COST: Record<Exclude<AlternativeReason, 'other_tld'>, number> = {
  hyphenated: 1,
  business_name: 1.5,
  city: 2,
  prefix: 2.2,
  suffix: 2.5,
};
const COST_PER_ADDED_CHAR = 0.2;
const OTHER_TLD_COST = 1;
const OTHER_TLD_STEP = 0.8;
/** a variation under another extension is two changes at once */
const VARIATION_ELSEWHERE_COST = 3;

/** "Boulangerie Dupont & Fils" → "boulangerie-dupont-fils"; accents dropped, anything else becomes one hyphen. */
export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Candidate names for a taken `name`, best first, each a valid name under a TLD we sell, never `name` itself. */
export function alternativeCandidates(name: DomainName, ctx: AlternativeContext): AlternativeCandidate[] {
  const sold = ctx.tlds.map((t) => t.toLowerCase().replace(/^\./, ''));
  const scored = new Map<string, { domain: string; reason: AlternativeReason; score: number }>();
  const add = (label: string, tld: string, reason: AlternativeReason, score: number) => {
    let domain: string;
    try {
      domain = parseDomainName(`${label}.${tld}`, sold).ascii;
    } catch {
      return; // too long, bad hyphens...: not a name anyone can buy
    }
    if (domain === name.ascii) return;
    const prior = scored.get(domain);
    if (!prior || prior.score > score) scored.set(domain, { domain, reason, score });
  };

  const otherTlds = orderedTlds(sold).filter((t) => t !== name.tld);
  otherTlds.forEach((tld, i) => {
    add(name.label, tld, 'other_tld', OTHER_TLD_COST + i * OTHER_TLD_STEP);
  });

  const base = slugify(toUnicode(name.label));
  const variationTlds = [name.tld, ...PREFERRED_TLDS.filter((t) => t !== name.tld && sold.includes(t))];
  for (const v of variations(base, ctx)) {
    const score = (v.cost ?? REASON_COST[v.reason]) + COST_PER_ADDED_CHAR * Math.max(0, v.label.length - base.length);
    for (const tld of variationTlds) add(v.label, tld, v.reason, tld === name.tld ? score : score + VARIATION_ELSEWHERE_COST);
  }

  return [...scored.values()]
    .sort((a, b) => a.score - b.score || a.domain.length - b.domain.length || a.domain.localeCompare(b.domain))
    .slice(0, ctx.max ?? DEFAULT_MAX)
    .map((c, i) => ({ domain: c.domain, rank: i + 1, reason: c.reason }));
}

/** fr, com, then the rest of the catalogue in its own order. */
function orderedTlds(sold: string[]): string[] {
  return [...new Set([...PREFERRED_TLDS.filter((t) => sold.includes(t)), ...sold])];
}

type Variation = {
  label: string;
  reason: Exclude<AlternativeReason, 'other_tld'>;
  /** replaces REASON_COST[reason] when this variation is closer than others of its kind */
  cost?: number;
};

/** Labels close to `base`, drawn from the business name and the city. */
function variations(base: string, ctx: AlternativeContext): Variation[] {
  const out: Variation[] = [];
  const businessWords = slugify(ctx.businessName)
    .split('-')
    .filter((w) => w && !FILLER_WORDS.has(w));
  const city = slugify(ctx.city ?? '');
  const baseWords = base.split('-');

  // Word boundaries come from the words the customer gave us: "boulangeriedupont" → "boulangerie-dupont".
  if (base.includes('-')) out.push({ label: base.replace(/-/g, ''), reason: 'hyphenated' });
  else {
    const words = splitIntoWords(base, [...businessWords, ...city.split('-'), ...PREFIXES]);
    if (words && words.length > 1) out.push({ label: words.join('-'), reason: 'hyphenated' });
  }

  if (businessWords.length > 0) {
    out.push({ label: businessWords.join(''), reason: 'business_name' });
    out.push({ label: businessWords.join('-'), reason: 'business_name' });
    const extra = businessWords.filter((w) => !baseWords.includes(w) && !base.includes(w));
    if (extra.length > 0) {
      out.push({ label: `${base}${extra.join('')}`, reason: 'business_name' });
      out.push({ label: `${base}-${extra.join('-')}`, reason: 'business_name' });
    }
  }

  if (city && !base.includes(city.replace(/-/g, ''))) {
    out.push({ label: `${base}-${city}`, reason: 'city' });
    out.push({ label: `${base}${city.replace(/-/g, '')}`, reason: 'city' });
    out.push({ label: `${city}-${base}`, reason: 'city' });
  }

  // "Le Café de la Gare" tells us the article that fits: "lecafe" before "moncafe" and "macafe"
  const article = slugify(ctx.businessName).split('-')[0];
  if (ARTICLES.includes(article) && !base.startsWith(article)) {
    out.push({ label: `${article}${base}`, reason: 'prefix', cost: REASON_COST.business_name });
  }
  for (const p of PREFIXES) if (!base.startsWith(p)) out.push({ label: `${p}${base}`, reason: 'prefix' });
  for (const w of SUFFIX_WORDS) {
    if (base.endsWith(w)) continue;
    out.push({ label: `${base}${w}`, reason: 'suffix' });
    out.push({ label: `${base}-${w}`, reason: 'suffix' });
  }
  return out.filter((v) => v.label !== '' && v.label !== base);
}

/** Split `text` into known words, fewest pieces first; undefined when some part is not a known word. */
function splitIntoWords(text: string, words: string[]): string[] | undefined {
  const known = [...new Set(words)].filter((w) => w.length >= 2);
  const best: (string[] | undefined)[] = new Array(text.length + 1);
  best[0] = [];
  for (let i = 0; i < text.length; i++) {
    const head = best[i];
    if (!head) continue;
    for (const w of known) {
      if (!text.startsWith(w, i)) continue;
      const j = i + w.length;
      if (!best[j] || best[j].length > head.length + 1) best[j] = [...head, w];
    }
  }
  return best[text.length];
}

/** One name offered instead of a taken one, as the order's timeline and the demo's answer carry it. */
export interface OfferedAlternative {
  /** ASCII form */
  domain: string;
  /** first-year price */
  priceCents: number;
  currency: string;
}

/** What the availability check said of the name first asked for (structurally the checker's DomainCheck). */
export interface TakenCheck {
  source: string;
  refusedReason?: string;
  alternatives?: { domain: string; price: { amountCents: number; currency: string } }[];
}

/**
 * The timeline's account of an order for `chosen` placed instead of `requested`, which the check
 * found taken (or unavailable): that it was taken, which names were offered with their price, and
 * which one was ordered (`offered` says whether it was one of them or a name of the customer's own).
 */
export function alternativeChoiceEvents(requested: DomainName, check: TakenCheck, chosen: DomainName): { type: string; data: Record<string, unknown> }[] {
  const offered: OfferedAlternative[] = (check.alternatives ?? []).map((a) => ({
    domain: a.domain,
    priceCents: a.price.amountCents,
    currency: a.price.currency,
  }));
  return [
    {
      type: 'requested_domain_taken',
      data: { domain: requested.unicode, source: check.source, ...(check.refusedReason ? { reason: check.refusedReason } : {}) },
    },
    { type: 'alternatives_offered', data: { requested: requested.unicode, alternatives: offered } },
    { type: 'alternative_ordered', data: { domain: chosen.unicode, requested: requested.unicode, offered: offered.some((a) => a.domain === chosen.ascii) } },
  ];
}
