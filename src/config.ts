// Every setting, read from the environment and validated once at start; a bad value stops start-up with a clear message.
import { z } from 'zod';
import path from 'node:path';
import { modeProblems, providerModes, sandboxSetting, type ProviderModes, type SandboxSetting } from './provider-modes.ts';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']).transform((v) => ['true', '1', 'yes', 'on'].includes(v));
const int = (def: number) => z.coerce.number().int().nonnegative().default(def);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** "fr:1200,com:1400" → { fr: 1200, com: 1400 } */
const tldPrices = z.string().transform((v, ctx) => {
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

/** "min-max" milliseconds, e.g. "20-80" */
const latency = z.string().transform((v, ctx) => {
  const m = /^(\d+)(?:-(\d+))?$/.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not "min-max" milliseconds (e.g. 20-80)` });
    return z.NEVER;
  }
  const minMs = Number(m[1]);
  const maxMs = m[2] === undefined ? minMs : Number(m[2]);
  return { minMs, maxMs: Math.max(minMs, maxMs) };
});
const rate = z.coerce.number().min(0).max(1);

/**
 * HTTP rate limits per client address and minute, by name (security, issue 8). `RATE_LIMITS` overrides
 * any of them ("status:300,order:10"); `RATE_LIMIT_SCALE` multiplies them all. README "Chaos and security".
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
  admin_login: 10,
  demo: 10,
  /** refused payment webhooks (bad signature, stale, malformed): genuine deliveries are not counted */
  webhook_refusals: 30,
} as const;
export type RateLimitName = keyof typeof HTTP_RATE_LIMITS;

/** "status:300,order:10" → the defaults with those two replaced */
const rateLimits = z.string().transform((v, ctx) => {
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

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
  ),
  DATA_DIR: z.string().default('.data'),
  /** the embedded PostgreSQL's listen address: 127.0.0.1, or 0.0.0.0 (or one address) for worker processes on other machines */
  EMBEDDED_PG_LISTEN: z
    .string()
    .regex(/^[0-9a-fA-F.:]+$|^localhost$/, 'must be an IP address such as 127.0.0.1 or 0.0.0.0')
    .default('127.0.0.1'),
  /**
   * where a root process runs the embedded PostgreSQL from when the `postgres` user cannot reach the checkout or
   * DATA_DIR (a 0700 home): a copy of the server binaries and the cluster, recorded in DATA_DIR/pg.location.json
   */
  EMBEDDED_PG_RUNTIME_DIR: z.string().default('/var/lib/conciergerie'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  ADMIN_TOKEN: optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  ADMIN_PASSWORD: optionalString,

  CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .default('EUR'),
  TLD_PRICES: tldPrices.prefault('fr:1200,com:1400,net:1600,org:1500,eu:1000,io:4500,shop:3500'),
  SERVICE_PRICE_CENTS: int(14900),
  EXPRESS_SURCHARGE_CENTS: int(9900),
  /** refuse premium names dearer than this (first year, cents); 0 refuses every premium name */
  PREMIUM_MAX_CENTS: int(50000),
  /** the deadlines, counted from payment; fractions allowed (0.05 is 3 minutes: the chaos run; 0.005 is 18 seconds: tests) */
  EXPRESS_HOURS: z.coerce.number().positive().max(8760).default(4),
  STANDARD_HOURS: z.coerce.number().positive().max(8760).default(24),
  PAYMENT_LINK_TTL_MINUTES: z.coerce.number().int().min(30).max(1440).default(1440),
  DEFAULT_PAYMENT_PROVIDER: z.enum(['stripe', 'paypal']).default('stripe'),

  AVAILABILITY_BUDGET_MS: int(3000),
  AVAILABILITY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  AVAILABILITY_TIMEOUT_MS: int(2000),

  SUPPORT_EMAIL: z.email().default('support@conciergerie.example'),
  /** where alerts and the daily report go; ops@conciergerie.example outside production, where it (or ALERT_WEBHOOK_URL) must be set */
  OPERATOR_EMAIL: optionalString.pipe(z.email().optional()),
  MAIL_FROM: z.string().default('Conciergerie <bonjour@conciergerie.example>'),

  // Providers: a provider whose credentials are unset runs against the sandbox world (src/provider-modes.ts: the rules).
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  PAYPAL_CLIENT_ID: optionalString,
  PAYPAL_CLIENT_SECRET: optionalString,
  PAYPAL_BASE_URL: z.url().default('https://api-m.sandbox.paypal.com'),
  PAYPAL_WEBHOOK_ID: optionalString,
  NAMECHEAP_API_USER: optionalString,
  NAMECHEAP_API_KEY: optionalString,
  NAMECHEAP_USERNAME: optionalString,
  NAMECHEAP_CLIENT_IP: optionalString,
  NAMECHEAP_BASE_URL: z.url().default('https://api.namecheap.com/xml.response'),
  /** Namecheap's API limit per user, shared by every process (default 50 against Namecheap, 600 against the sandbox, which allows 700) */
  NAMECHEAP_PER_MINUTE: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1).optional()),
  SMTP_URL: optionalString.pipe(
    z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
  ),
  SMTP_FALLBACK_URL: optionalString.pipe(
    z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
  ),
  RDAP_BOOTSTRAP_FILE: optionalString,
  WHOIS_SERVER: optionalString,
  NETLIFY_AUTH_TOKEN: optionalString,

  /**
   * Namecheap balances are in US dollars: what one unit of CURRENCY is worth in dollars, for `npm run doctor` to compare
   * the balance with our dearest registration. Default 1 for USD and 1.25 for EUR (above the rate of recent years, so
   * the check errs towards asking for more); other currencies set it.
   */
  USD_PER_CURRENCY_UNIT: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().positive().optional()),

  // The sandbox world.
  /**
   * `auto`: a provider without credentials runs in the sandbox world; `off`: every provider must be real; `on`: a
   * demonstration installation, which refuses live keys. NODE_ENV=production means `off` unless `on` is set.
   */
  SANDBOX: z.enum(['auto', 'on', 'off']).default('auto'),
  /** use the sandbox world another process runs (its DATA_DIR/sandbox/world.json) instead of starting one */
  SANDBOX_ATTACH: optionalString,
  /** how often the recovery sweeper runs */
  SWEEP_SECONDS: z.coerce.number().int().min(1).default(10),
  SANDBOX_LATENCY_MS: latency.prefault('0'),
  SANDBOX_ERROR_RATE: rate.default(0),
  SANDBOX_TIMEOUT_RATE: rate.default(0),
  SANDBOX_RATE_LIMIT_RATE: rate.default(0),
  SANDBOX_DROP_RATE: rate.default(0),
  SANDBOX_WEBHOOK_DUPLICATE_RATE: rate.default(0),
  SANDBOX_WEBHOOK_REORDER_RATE: rate.default(0),
  /** Stripe sandbox: seconds a checkout session stays open (the real minimum is 30 minutes) */
  SANDBOX_CHECKOUT_TTL_SECONDS: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()),
  /**
   * `real`: the sandbox servers and our shared limiter enforce the real providers' published limits (Netlify 500
   * API requests/min and 3 deploys/min per site, Namecheap per user); `off`: the sandbox servers enforce none and
   * our limiter is not consulted for them (benchmarks measure our throughput, not Netlify's quota). Real providers
   * always keep their limits.
   */
  SANDBOX_PROVIDER_LIMITS: z.enum(['real', 'off']).default('real'),
  /** multiplies every HTTP rate limit of the API (load tests raise it); 1 in production */
  RATE_LIMIT_SCALE: z.coerce.number().positive().max(100_000).default(1),
  /** per-name overrides of HTTP_RATE_LIMITS, e.g. "status:300,order:10" */
  RATE_LIMITS: rateLimits.prefault(''),
  /** where the HTTP rate limits count: `postgres` (one count per client across every API process) or `memory` (each process its own) */
  RATE_LIMIT_STORE: z.enum(['postgres', 'memory']).default('postgres'),
  /** live streams (SSE) one order's tracking token / one client address may hold open at once, per API process */
  SSE_MAX_STREAMS_PER_TOKEN: z.coerce.number().int().min(1).default(8),
  SSE_MAX_STREAMS_PER_ADDRESS: z.coerce.number().int().min(1).default(40),
  /**
   * Domain checks and orders one API process works on at once (each kind its own count); more wait
   * in line up to ADMISSION_MAX_WAIT_MS, then get 503 `busy` with Retry-After (src/http/admission.ts).
   */
  ADMISSION_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(32),
  ADMISSION_MAX_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(1000),

  // Who registers the domains: the registrant, admin, tech and billing contact sent to the registrar.
  REGISTRANT_FIRST_NAME: z.string().default('Camille'),
  REGISTRANT_LAST_NAME: z.string().default('Martin'),
  REGISTRANT_ORGANIZATION: z.string().default('Conciergerie SAS'),
  REGISTRANT_ADDRESS: z.string().default('10 rue de la Paix'),
  REGISTRANT_CITY: z.string().default('Paris'),
  REGISTRANT_STATE: z.string().default('Paris'),
  REGISTRANT_POSTAL_CODE: z.string().default('75002'),
  REGISTRANT_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as FR')
    .default('FR'),
  REGISTRANT_PHONE: z
    .string()
    .regex(/^\+\d{1,3}\.\d{4,14}$/, 'must look like +33.123456789')
    .default('+33.123456789'),
  REGISTRANT_EMAIL: z.email().default('domains@conciergerie.example'),
  NETLIFY_BASE_URL: z.url().default('https://api.netlify.com'),

  // The pipeline's patience.
  STEP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  /** first retry delay; each next one doubles, with jitter, up to RETRY_MAX_MS */
  RETRY_BASE_MS: int(2000),
  RETRY_MAX_MS: int(300_000),
  /** how often to look again while DNS or the certificate is not there yet */
  DNS_POLL_MS: int(30_000),
  /** give up waiting for DNS / the certificate / the site to answer after this long */
  WAIT_MAX_MINUTES: int(120),
  /** how long a customer has to choose another name when theirs was taken at purchase time */
  DOMAIN_CHOICE_HOURS: int(24),
  /** a worker whose heartbeat is older than this is considered dead and its jobs are freed */
  WORKER_STALE_SECONDS: z.coerce.number().int().min(2).default(30),
  HEARTBEAT_SECONDS: z.coerce.number().int().min(1).default(5),

  // Site content (issue 6): limits on uploaded archives and pictures, checked by content, not by name.
  /** largest static-site ZIP accepted at order time, as uploaded */
  ARCHIVE_MAX_MB: z.coerce.number().int().min(1).max(1024).default(50),
  /** most files one archive may hold */
  ARCHIVE_MAX_FILES: z.coerce.number().int().min(1).max(100_000).default(2000),
  /** all files together once uncompressed, counted while inflating (zip-bomb guard) */
  ARCHIVE_MAX_UNCOMPRESSED_MB: z.coerce.number().int().min(1).max(4096).default(250),
  /** largest uncompressed/compressed ratio of one entry, past its first MiB (zip-bomb guard) */
  ARCHIVE_MAX_RATIO: z.coerce.number().int().min(2).max(100_000).default(100),
  /** largest logo or picture, in bytes */
  IMAGE_MAX_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(5_000_000),
  /** largest width or height of a logo or picture, in pixels */
  IMAGE_MAX_DIMENSION: z.coerce.number().int().min(16).max(20_000).default(6000),

  // Monitoring (issue 7): metrics, alert thresholds and channels, site checks, the daily report. README "Monitoring".
  /** a bearer token Prometheus may use for GET /metrics instead of ADMIN_TOKEN (which also works) */
  METRICS_TOKEN: optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  /** worker-only processes (--role=worker) serve their own /metrics on this port; unset: none */
  METRICS_PORT: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional()),
  ALERT_EVALUATE_SECONDS: z.coerce.number().int().min(1).default(30),
  /** a JSON POST per alert notice (opened, resolved, digest); unset: email only */
  ALERT_WEBHOOK_URL: optionalString.pipe(z.url().optional()),
  /** signs the webhook body (x-conciergerie-signature: t=…,v1=HMAC-SHA256 of "t.body") */
  ALERT_WEBHOOK_SECRET: optionalString,
  ALERT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** notices per rule per hour; past it, one digest an hour says how many were held back */
  ALERT_NOTIFY_MAX_PER_HOUR: z.coerce.number().int().min(1).default(10),
  /** an order in progress past this share of the time from payment to its deadline is at risk */
  ALERT_DEADLINE_RISK_SHARE: z.coerce.number().gt(0).max(1).default(0.75),
  ALERT_PROVIDER_WINDOW_SECONDS: z.coerce.number().int().min(1).default(300),
  ALERT_PROVIDER_ERROR_RATE: z.coerce.number().gt(0).max(1).default(0.5),
  ALERT_PROVIDER_MIN_CALLS: z.coerce.number().int().min(1).default(10),
  /** an order in progress with no event for this long and no job that can still run is stuck */
  ALERT_STUCK_MINUTES: z.coerce.number().gt(0).default(15),
  ALERT_WEBHOOK_REJECTED_WINDOW_SECONDS: z.coerce.number().int().min(1).default(300),
  ALERT_WEBHOOK_REJECTED_THRESHOLD: z.coerce.number().int().min(1).default(20),
  /** orders whose step exhausted its retries in this window (and jobs that did) keep the alert open */
  ALERT_RETRIES_WINDOW_SECONDS: z.coerce.number().int().min(1).default(3600),
  /** an open alert resolves once its condition has been clear this long (no flapping open/resolved/open) */
  ALERT_RESOLVE_AFTER_SECONDS: z.coerce.number().min(0).default(120),
  /** an alert that reopens within this long of resolving is announced only if it is still open when it ends */
  ALERT_REOPEN_COOLDOWN_SECONDS: z.coerce.number().min(0).default(900),
  /** orders_failing: failed (refunded) orders over finished ones in the window, from at least this many failures */
  ALERT_ORDERS_FAILING_WINDOW_SECONDS: z.coerce.number().int().min(1).default(3600),
  ALERT_ORDERS_FAILING_RATE: z.coerce.number().gt(0).max(1).default(0.25),
  ALERT_ORDERS_FAILING_MIN: z.coerce.number().int().min(1).default(3),
  /** outbox_backlog: an email still unsent this long after it was queued */
  ALERT_OUTBOX_MINUTES: z.coerce.number().gt(0).default(15),
  /** from this many sites down at once, one grouped alert instead of one per site */
  ALERT_SITES_DOWN_GROUP_THRESHOLD: z.coerce.number().int().min(2).default(10),
  /** the API processes warn when the alert rules have not run for this long (no worker left?); default max(300, 3 × ALERT_EVALUATE_SECONDS) */
  ALERT_EVALUATION_STALE_SECONDS: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1).optional()),
  CERT_EXPIRY_WARN_DAYS: z.coerce.number().min(0).default(14),
  DOMAIN_EXPIRY_WARN_DAYS: z.coerce.number().min(0).default(30),
  MONITOR_INTERVAL_SECONDS: z.coerce.number().int().min(10).default(300),
  /** a failing site is checked again this soon, to confirm or clear it */
  MONITOR_RETRY_SECONDS: z.coerce.number().int().min(1).default(60),
  MONITOR_FAILURES_BEFORE_DOWN: z.coerce.number().int().min(1).default(2),
  MONITOR_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** how often the scheduler looks for due checks and hands them out as batch jobs */
  MONITOR_TICK_SECONDS: z.coerce.number().int().min(1).default(15),
  MONITOR_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(200),
  /** batch jobs in flight at once, across all workers */
  MONITOR_MAX_BATCHES: z.coerce.number().int().min(1).max(1000).default(4),
  /** checks in flight at once within one batch */
  MONITOR_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  /** how often the registrar is asked for a domain's expiry (weekly: the warning comes DOMAIN_EXPIRY_WARN_DAYS ahead) */
  DOMAIN_CHECK_HOURS: z.coerce.number().min(0.001).default(168),
  /** registrar lookups for expiry dates, at most: a small share of the API budget purchases also use */
  DOMAIN_CHECKS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** a site down this long gets its customer an email (and a second one when it is back) */
  SITE_DOWN_CUSTOMER_MINUTES: z.coerce.number().min(0).default(30),
  REPORT_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)')
    .default('07:00'),
  REPORT_TIME_ZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Paris')
    .default('Europe/Paris'),

  /** 20: on 2 cores the pipeline ran 10-14 % more steps/s than with 10, and no more with 30 (npm run bench, BENCHMARKS.md) */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(20),
  RUN_WORKER: bool.prefault('true'),
});

export type Env = z.infer<typeof schema>;

export interface Config extends Omit<Env, 'ALERT_EVALUATION_STALE_SECONDS' | 'SANDBOX'> {
  /** resolved: NODE_ENV=production means `off` unless SANDBOX=on is set */
  SANDBOX: SandboxSetting;
  /** resolved: ALERT_EVALUATION_STALE_SECONDS or its default */
  ALERT_EVALUATION_STALE_SECONDS: number;
  dataDir: string;
  publicUrl: string;
  tlds: string[];
  /** each provider's mode: our sandbox world, the provider's test mode, or live */
  modes: ProviderModes;
  /** which providers use the sandbox world (no credentials set) */
  sandbox: {
    payments: { stripe: boolean; paypal: boolean };
    registrar: boolean;
    availability: boolean;
    mail: boolean;
    hosting: boolean;
    any: boolean;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validate the environment once. Throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const pairs: [string, (keyof Env)[]][] = [
    ['Stripe', ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']],
    ['PayPal', ['PAYPAL_CLIENT_ID', 'PAYPAL_CLIENT_SECRET', 'PAYPAL_WEBHOOK_ID']],
    ['Namecheap', ['NAMECHEAP_API_USER', 'NAMECHEAP_API_KEY', 'NAMECHEAP_USERNAME', 'NAMECHEAP_CLIENT_IP']],
  ];
  for (const [name, keys] of pairs) {
    const set = keys.filter((k) => e[k] !== undefined);
    if (set.length > 0 && set.length < keys.length) {
      problems.push(`${name}: set all of ${keys.join(', ')} or none (missing ${keys.filter((k) => !set.includes(k)).join(', ')})`);
    }
  }
  if (e.STRIPE_SECRET_KEY && !/^(sk|rk)_(test|live)_/.test(e.STRIPE_SECRET_KEY)) {
    problems.push('STRIPE_SECRET_KEY: must start with sk_test_, sk_live_, rk_test_ or rk_live_');
  }
  if (!e.TLD_PRICES || Object.keys(e.TLD_PRICES).length === 0) problems.push('TLD_PRICES: at least one TLD');
  const modes = providerModes(e);
  const sandbox = {
    payments: { stripe: modes.stripe === 'sandbox', paypal: modes.paypal === 'sandbox' },
    registrar: modes.namecheap === 'sandbox',
    availability: modes.availability === 'sandbox',
    mail: modes.smtp === 'sandbox',
    hosting: modes.netlify === 'sandbox',
    any: false,
  };
  sandbox.any = Object.values(modes).includes('sandbox');
  // no real money for pretend work, and a production installation never falls back on the sandbox world
  problems.push(...modeProblems(e));
  if (e.NODE_ENV === 'production' && !e.ADMIN_TOKEN) problems.push('ADMIN_TOKEN: required when NODE_ENV=production');
  // alerts and reports must reach someone: in production the example address would send them nowhere
  if (e.NODE_ENV === 'production' && !e.OPERATOR_EMAIL && !e.ALERT_WEBHOOK_URL) {
    problems.push('OPERATOR_EMAIL or ALERT_WEBHOOK_URL: at least one is required when NODE_ENV=production (where alerts and reports go)');
  }
  const staleSeconds = e.ALERT_EVALUATION_STALE_SECONDS ?? Math.max(300, 3 * e.ALERT_EVALUATE_SECONDS);
  if (staleSeconds <= e.ALERT_EVALUATE_SECONDS) problems.push('ALERT_EVALUATION_STALE_SECONDS: must be longer than ALERT_EVALUATE_SECONDS');
  if (problems.length) throw new ConfigError(problems);

  const dataDir = path.resolve(e.DATA_DIR);
  return {
    ...e,
    SANDBOX: sandboxSetting(e),
    OPERATOR_EMAIL: e.OPERATOR_EMAIL ?? (e.NODE_ENV === 'production' ? undefined : 'ops@conciergerie.example'),
    ALERT_EVALUATION_STALE_SECONDS: staleSeconds,
    dataDir,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    tlds: Object.keys(e.TLD_PRICES),
    modes,
    sandbox,
  };
}
