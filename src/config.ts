// Every setting, read from the environment and validated once at start; a bad value stops start-up with a clear message.
import { z } from 'zod';
import path from 'node:path';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));
const int = (def: number) => z.coerce.number().int().nonnegative().default(def);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** "fr:1200,com:1400" → { fr: 1200, com: 1400 } */
const tldPrices = z
  .string()
  .transform((v, ctx) => {
    const out: Record<string, number> = {};
    for (const part of v.split(',').map((s) => s.trim()).filter(Boolean)) {
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

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  DATABASE_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
  ),
  DATA_DIR: z.string().default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  ADMIN_TOKEN: optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  ADMIN_PASSWORD: optionalString,

  CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR').default('EUR'),
  TLD_PRICES: tldPrices.prefault('fr:1200,com:1400,net:1600,org:1500,eu:1000,io:4500,shop:3500'),
  SERVICE_PRICE_CENTS: int(14900),
  EXPRESS_SURCHARGE_CENTS: int(9900),
  /** refuse premium names dearer than this (first year, cents); 0 refuses every premium name */
  PREMIUM_MAX_CENTS: int(50000),
  EXPRESS_HOURS: int(4),
  STANDARD_HOURS: int(24),
  PAYMENT_LINK_TTL_MINUTES: z.coerce.number().int().min(30).max(1440).default(1440),
  DEFAULT_PAYMENT_PROVIDER: z.enum(['stripe', 'paypal']).default('stripe'),

  AVAILABILITY_BUDGET_MS: int(3000),
  AVAILABILITY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  AVAILABILITY_TIMEOUT_MS: int(2000),

  SUPPORT_EMAIL: z.email().default('support@conciergerie.example'),
  OPERATOR_EMAIL: z.email().default('ops@conciergerie.example'),
  MAIL_FROM: z.string().default('Conciergerie <bonjour@conciergerie.example>'),

  // Providers: a provider whose credentials are unset runs against the sandbox world.
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
  SMTP_URL: optionalString.pipe(z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional()),
  SMTP_FALLBACK_URL: optionalString.pipe(
    z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  ),
  RDAP_BOOTSTRAP_FILE: optionalString,
  WHOIS_SERVER: optionalString,
  NETLIFY_AUTH_TOKEN: optionalString,

  // The sandbox world.
  SANDBOX: z.enum(['auto', 'off']).default('auto'),
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

  // Who registers the domains: the registrant, admin, tech and billing contact sent to the registrar.
  REGISTRANT_FIRST_NAME: z.string().default('Camille'),
  REGISTRANT_LAST_NAME: z.string().default('Martin'),
  REGISTRANT_ORGANIZATION: z.string().default('Conciergerie SAS'),
  REGISTRANT_ADDRESS: z.string().default('10 rue de la Paix'),
  REGISTRANT_CITY: z.string().default('Paris'),
  REGISTRANT_STATE: z.string().default('Paris'),
  REGISTRANT_POSTAL_CODE: z.string().default('75002'),
  REGISTRANT_COUNTRY: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as FR').default('FR'),
  REGISTRANT_PHONE: z.string().regex(/^\+\d{1,3}\.\d{4,14}$/, 'must look like +33.123456789').default('+33.123456789'),
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

  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(10),
  RUN_WORKER: bool.prefault('true'),
});

export type Env = z.infer<typeof schema>;

export interface Config extends Env {
  dataDir: string;
  publicUrl: string;
  tlds: string[];
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
  const sandbox = {
    payments: { stripe: !e.STRIPE_SECRET_KEY, paypal: !e.PAYPAL_CLIENT_ID },
    registrar: !e.NAMECHEAP_API_KEY,
    availability: !e.NAMECHEAP_API_KEY && !e.RDAP_BOOTSTRAP_FILE && !e.WHOIS_SERVER,
    mail: !e.SMTP_URL,
    hosting: !e.NETLIFY_AUTH_TOKEN,
    any: false,
  };
  sandbox.any =
    sandbox.payments.stripe || sandbox.payments.paypal || sandbox.registrar || sandbox.availability || sandbox.mail || sandbox.hosting;
  if (e.SANDBOX === 'off' && sandbox.any) {
    const missing = [
      sandbox.payments.stripe && 'STRIPE_SECRET_KEY',
      sandbox.payments.paypal && 'PAYPAL_CLIENT_ID',
      sandbox.registrar && 'NAMECHEAP_API_KEY',
      sandbox.mail && 'SMTP_URL',
      sandbox.hosting && 'NETLIFY_AUTH_TOKEN',
    ].filter(Boolean);
    problems.push(`SANDBOX=off but these providers have no credentials: ${missing.join(', ')}`);
  }
  if (e.NODE_ENV === 'production' && !e.ADMIN_TOKEN) problems.push('ADMIN_TOKEN: required when NODE_ENV=production');
  if (problems.length) throw new ConfigError(problems);

  const dataDir = path.resolve(e.DATA_DIR);
  return {
    ...e,
    dataDir,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    tlds: Object.keys(e.TLD_PRICES),
    sandbox,
  };
}
