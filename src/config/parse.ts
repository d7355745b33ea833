// How a setting's text becomes a value: the parsers the setting groups share.
import { z } from 'zod';

export const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']).transform((v) => ['true', '1', 'yes', 'on'].includes(v));
export const int = (def: number) => z.coerce.number().int().nonnegative().default(def);
/** unset and blank read as unset; anything else is trimmed */
export const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
/** a bearer token: unset, or at least 24 characters */
export const token24 = optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional());
/** a number with no default: blank reads as unset */
export const optionalNumber = <T extends z.ZodType>(inner: T) => z.preprocess((v) => (v === '' ? undefined : v), inner);
export const rate = z.coerce.number().min(0).max(1);
export const smtpUrl = optionalString.pipe(
  z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
);

/** "fr:1200,com:1400" → { fr: 1200, com: 1400 } */
export const tldPrices = z.string().transform((v, ctx) => {
  const out: Record<string, number> = {};
  for (const part of v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [tld, cents] = part.split(':');
    const n = Number(cents);
    if (!tld || !/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(tld.replace(/^\./, '')) || !Number.isInteger(n) || n <= 0) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not tld:priceInCents (e.g. fr:1200)` });
      return z.NEVER;
    }
    out[tld.replace(/^\./, '').toLowerCase()] = n;
  }
  return out;
});

export interface Budget {
  perMinute: number;
  perHour: number;
  perDay: number;
}

/**
 * Namecheap's API quotas per account: "Namecheap documents 20 requests/minute, 700/hour and 8000/day"
 * (namecheap/go-namecheap-sdk README, the quotas paragraph, v2.10.1; its transport.go defaults to 20 a minute and
 * enforces only that one). We enforce all three, shared by every process (src/providers/registrar/budget.ts).
 */
export const DOCUMENTED_NAMECHEAP_BUDGET: Budget = { perMinute: 20, perHour: 700, perDay: 8000 };

/** "20/min,700/h,8000/d" → { perMinute: 20, perHour: 700, perDay: 8000 } */
export const budget = z.string().transform((v, ctx): Budget => {
  const m = /^\s*(\d+)\s*\/\s*min\s*,\s*(\d+)\s*\/\s*h\s*,\s*(\d+)\s*\/\s*d\s*$/.exec(v);
  const [perMinute, perHour, perDay] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  if (!m || perMinute < 1 || perHour < perMinute || perDay < perHour) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not "N/min,N/h,N/d" with each window allowing at least the shorter one's (e.g. 20/min,700/h,8000/d)` });
    return z.NEVER;
  }
  return { perMinute, perHour, perDay };
});

/** "min-max" milliseconds, e.g. "20-80" */
export const latency = z.string().transform((v, ctx) => {
  const m = /^(\d+)(?:-(\d+))?$/.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not "min-max" milliseconds (e.g. 20-80)` });
    return z.NEVER;
  }
  const minMs = Number(m[1]);
  const maxMs = m[2] === undefined ? minMs : Number(m[2]);
  return { minMs, maxMs: Math.max(minMs, maxMs) };
});

/** "3" or "min-max" seconds, fractions allowed (e.g. "0.5-20"): each use draws a value in the range */
export const secondsSpread = z.string().transform((v, ctx) => {
  const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not seconds or "min-max" seconds (e.g. 3 or 1-20)` });
    return z.NEVER;
  }
  const minMs = Number(m[1]) * 1000;
  const maxMs = m[2] === undefined ? minMs : Number(m[2]) * 1000;
  return { minMs, maxMs: Math.max(minMs, maxMs) };
});

/** A draw from a spread: uniform between its bounds. */
export const drawMs = (s: { minMs: number; maxMs: number }): number => s.minMs + Math.random() * (s.maxMs - s.minMs);

export const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Paris');

/**
 * The API's HTTP rate limits per client address and minute, by name. `RATE_LIMITS` overrides any of them
 * ("status:300,order:10"); `RATE_LIMIT_SCALE` multiplies them all.
 */
export const HTTP_RATE_LIMITS = {
  domain_check: 120,
  order: 30,
  status: 240,
  /** opening the live stream (SSE); how many stay open at once is SSE_MAX_STREAMS_PER_* */
  status_stream: 60,
  payment_link: 10,
  domain_choice: 10,
  pay: 30,
  payment_return: 30,
  site_read: 120,
  site_save: 120,
  preview: 240,
  publish: 20,
  asset_upload: 30,
  asset_read: 600,
  asset_delete: 60,
  archive: 20,
  /** the page a satisfaction link in an email opens (no lookup, no write) */
  satisfaction_page: 60,
  /** answers to "Are you satisfied?", per client address (`satisfaction_token` counts them per order too) */
  satisfaction: 20,
  /** the same, per order (its tracking token), whatever the address */
  satisfaction_token: 10,
  /** asking not to be contacted again (its page and its form) */
  contact_stop: 20,
  /** asking for a sign-in link to the customer's space, per client address (`account_login_address` counts them per email address too) */
  account_login: 10,
  /** the same, per email address whatever the client */
  account_login_address: 3,
  /** exchanging a sign-in link for a session */
  account_session: 20,
  /** reading the customer's space (its orders, a domain's records, the session) */
  account: 120,
  /** changing a domain's DNS records or email forwarding, and signing out */
  account_change: 30,
  /** the terms of sale, privacy and legal notice pages, and their versions */
  legal_page: 120,
  /** a customer's data export and erasure */
  personal_data: 10,
  admin_login: 10,
  demo: 10,
  /** refused payment webhooks (bad signature, stale, malformed): genuine deliveries are not counted */
  webhook_refusals: 30,
} as const;
export type RateLimitName = keyof typeof HTTP_RATE_LIMITS;

/** "status:300,order:10" → the defaults with those two replaced */
export const rateLimits = z.string().transform((v, ctx) => {
  const out: Record<RateLimitName, number> = { ...HTTP_RATE_LIMITS };
  for (const part of v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, max] = part.split(':').map((s) => s.trim());
    const n = Number(max);
    if (!name || !(name in HTTP_RATE_LIMITS) || !Number.isInteger(n) || n < 1) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not name:perMinute with a name among ${Object.keys(HTTP_RATE_LIMITS).join(', ')}` });
      return z.NEVER;
    }
    out[name as RateLimitName] = n;
  }
  return out;
});

/** A capability's settings, with the title and the paragraph the settings reference (docs/settings.md) shows above them. */
export interface SettingGroup<S extends z.ZodRawShape = z.ZodRawShape> {
  title: string;
  about: string;
  settings: S;
}
export const group = <S extends z.ZodRawShape>(title: string, about: string, settings: S): SettingGroup<S> => ({ title, about, settings });

/**
 * What the settings reference shows of a setting besides its schema: `description` always; `shownDefault` when the
 * default is worked out at start rather than a fixed value; `secret` for a value never logged nor shown.
 */
export const about = (description: string, more: { shownDefault?: string; secret?: true } = {}) => ({ description, ...more });
