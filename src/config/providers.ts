// Settings of the outside services: payments, the registrar, the host, mail, and the sandbox world that stands in for them.
// A provider whose credentials are unset runs against the sandbox world; src/provider-modes.ts holds the rules.
import { z } from 'zod';
import { about, bool, budget, DOCUMENTED_NAMECHEAP_BUDGET, group, latency, optionalNumber, optionalString, rate, secondsSpread, smtpUrl } from './parse.ts';

export const payments = group(
  'Payments',
  'Stripe Checkout and PayPal Orders v2. A provider with its credentials set is real (test or live by its key or host); a live payment provider with any other provider still in the sandbox world or in test mode refuses to start.',
  {
    DEFAULT_PAYMENT_PROVIDER: z.enum(['stripe', 'paypal']).default('stripe').describe('when the request does not say `paymentProvider`'),
    PAYMENT_LINK_TTL_MINUTES: z.coerce
      .number()
      .int()
      .min(30)
      .max(1440)
      .default(1440)
      .describe('how long a payment link stays payable (30 to 1440, Stripe’s bounds)'),
    STRIPE_SECRET_KEY: optionalString.meta(
      about(
        'Stripe’s secret or restricted key (`sk_live_…`, `sk_test_…`, `rk_live_…`, `rk_test_…`); with `STRIPE_WEBHOOK_SECRET`, Stripe is real. Point a Stripe webhook endpoint at `$PUBLIC_URL/api/concierge/webhook/payment`',
        { secret: true },
      ),
    ),
    STRIPE_WEBHOOK_SECRET: optionalString.meta(about('the signing secret (`whsec_…`) of that webhook endpoint', { secret: true })),
    STRIPE_PAYMENT_METHODS: z
      .string()
      .default('card')
      .transform((v, ctx) => {
        const list = [
          ...new Set(
            v
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          ),
        ];
        const bad = list.filter((m) => !/^[a-z][a-z0-9_]*$/.test(m));
        if (list.length === 0 || bad.length) {
          ctx.addIssue({ code: 'custom', message: `"${v}" is not a comma-separated list of Stripe payment method types (e.g. card,sepa_debit)` });
          return z.NEVER;
        }
        return list;
      })
      .describe(
        'the payment methods Stripe Checkout offers, as Stripe names them (`card`, `sepa_debit`, …), comma-separated; a delayed one (SEPA Debit) completes unpaid and settles days later: the order shows “payment processing” and its deadline starts when the money arrives',
      ),
    PAYPAL_CLIENT_ID: optionalString.describe(
      'with `PAYPAL_CLIENT_SECRET` and `PAYPAL_WEBHOOK_ID`, PayPal is real; its webhook goes to `$PUBLIC_URL/api/concierge/webhook/payment/paypal`',
    ),
    PAYPAL_CLIENT_SECRET: optionalString.meta(about('the REST app’s secret', { secret: true })),
    PAYPAL_BASE_URL: z.url().default('https://api-m.sandbox.paypal.com').describe('`https://api-m.paypal.com` for live; the default is PayPal’s own sandbox'),
    PAYPAL_WEBHOOK_ID: optionalString.describe('the id PayPal gave the webhook, which its signature check names'),
    PAYPAL_VAULT: bool
      .default(false)
      .describe(
        'save the customer’s PayPal for automatic renewals (PayPal’s vault: `store_in_vault` at the first payment, `vault_id` orders charged without the payer a year later, the token deleted when auto-renewal is turned off). Off by default: PayPal must first approve the account for vaulting (reference transactions); off, or for a payer without a saved token, PayPal renewals are paid by an emailed link',
      ),
  },
);

export const registrar = group(
  'Registrar',
  'Namecheap’s XML API, which buys the domains. With all four credentials set, Namecheap is real and availability uses the real RDAP servers and whois.',
  {
    NAMECHEAP_API_USER: optionalString.describe('the API user'),
    NAMECHEAP_API_KEY: optionalString.meta(about('the API key', { secret: true })),
    NAMECHEAP_USERNAME: optionalString.describe('the account the domains are bought with'),
    NAMECHEAP_CLIENT_IP: optionalString.describe('our public address, whitelisted in Namecheap’s panel (any other gets error 1011150)'),
    NAMECHEAP_BASE_URL: z
      .url()
      .default('https://api.namecheap.com/xml.response')
      .describe('the live API by default; `https://api.sandbox.namecheap.com/xml.response` for Namecheap’s own sandbox'),
    NAMECHEAP_BUDGET: optionalString
      .pipe(budget.optional())
      .meta(
        about(
          'Namecheap API calls allowed a minute, an hour and a day, shared by every process through PostgreSQL: `20/min,700/h,8000/d` as Namecheap documents them; against the sandbox, what the sandbox enforces (`SANDBOX_NAMECHEAP_BUDGET`)',
          { shownDefault: '`20/min,700/h,8000/d` (the sandbox’s against it)' },
        ),
      ),
    USD_PER_CURRENCY_UNIT: optionalNumber(z.coerce.number().positive().optional()).meta(
      about(
        'the exchange rate, US dollars for one unit of `CURRENCY`: Namecheap prices and balances are in US dollars. A premium name’s price is converted with it and `REGISTRAR_PRICE_MARGIN_PERCENT` on top before it is shown, compared or charged; `npm run doctor` compares the balance with the dearest TLD we sell the same way',
        { shownDefault: '`1` for USD, `1.10` for EUR' },
      ),
    ),
    REGISTRAR_PRICE_MARGIN_PERCENT: z.coerce
      .number()
      .min(0)
      .max(100)
      .default(10)
      .describe('safety margin on the exchange rate, in percent: a registrar price in US dollars costs us at most this much more than the rate says'),
  },
);

export const hosting = group('Hosting', 'Netlify’s API: sites, file-digest deploys, custom domains and their certificates.', {
  NETLIFY_AUTH_TOKEN: optionalString.meta(
    about('a personal access token; set, Netlify is real and the verifier checks sites on ports 80 and 443 with the system’s CAs', { secret: true }),
  ),
  NETLIFY_BASE_URL: z.url().default('https://api.netlify.com').describe('Netlify API'),
});

export const mail = group('Mail', 'Every email goes out through the outbox over SMTP.', {
  MAIL_FROM: z.string().default('Conciergerie <bonjour@conciergerie.example>').describe('sender of every email'),
  SMTP_URL: smtpUrl.meta(about('`smtp://user:pass@host:587` or `smtps://…`; set, mail is real', { secret: true })),
  SMTP_FALLBACK_URL: smtpUrl.meta(about('a second route, tried when the first fails', { secret: true })),
});

export const sandbox = group(
  'Sandbox world',
  'Servers on loopback that speak the providers’ wire formats, for every provider left without credentials; each takes a latency and a fault model, so demos, tests, chaos runs and benchmarks share one world.',
  {
    SANDBOX: z
      .enum(['auto', 'on', 'off'])
      .default('auto')
      .meta(
        about(
          '`auto`: a provider without credentials runs in the sandbox world; `off`: refuses to start while any does, naming the settings to set; `on`: a demonstration installation on the sandbox world (allowed in production), which refuses live keys (Stripe `sk_live_`/`rk_live_`, PayPal’s live API, Namecheap’s live API). Whatever it says, a live payment key with any provider not live (sandbox world or test mode) refuses to start',
          { shownDefault: '`auto` (`off` when `NODE_ENV=production`)' },
        ),
      ),
    SANDBOX_ATTACH: optionalString.describe(
      'use the sandbox world another process runs (the path of its `DATA_DIR/sandbox/world.json`) instead of starting one',
    ),
    SANDBOX_LATENCY_MS: latency.prefault('0').describe('sandbox latency, `min-max` milliseconds (e.g. `20-80`)'),
    SANDBOX_ERROR_RATE: rate.default(0).describe('share (0..1) of sandbox calls answered with a server error'),
    SANDBOX_TIMEOUT_RATE: rate.default(0).describe('share (0..1) of sandbox calls never answered'),
    SANDBOX_RATE_LIMIT_RATE: rate.default(0).describe('share (0..1) of sandbox calls answered 429'),
    SANDBOX_DROP_RATE: rate.default(0).describe('share (0..1) of sandbox calls whose connection is cut'),
    SANDBOX_WEBHOOK_DUPLICATE_RATE: rate.default(0).describe('share (0..1) of payment webhooks sent twice'),
    SANDBOX_WEBHOOK_REORDER_RATE: rate.default(0).describe('share (0..1) of payment webhooks delivered out of order'),
    SANDBOX_CHECKOUT_TTL_SECONDS: optionalNumber(z.coerce.number().int().positive().optional()).describe(
      'sandbox checkout sessions and PayPal orders expire after this many seconds (tests, demos; Stripe’s own minimum is 30 minutes)',
    ),
    SANDBOX_NAMECHEAP_BUDGET: z
      .string()
      .default('600/min,20000/h,200000/d')
      .pipe(z.union([z.literal('documented').transform(() => DOCUMENTED_NAMECHEAP_BUDGET), budget]))
      .describe(
        'the calls a minute, an hour and a day the sandbox Namecheap answers before HTTP 405 (as the live API throttles); `documented` is Namecheap’s own `20/min,700/h,8000/d` (the quota benchmark, figure h). The default keeps tests and demos quick',
      ),
    SANDBOX_CERT_DELAY_SECONDS: secondsSpread
      .prefault('3')
      .describe(
        'how long the sandbox Netlify takes to issue a certificate once asked, as Let’s Encrypt validation takes a while: seconds, or `min-max` for a spread (e.g. `1-20`)',
      ),
    SANDBOX_DELAYED_PAYMENT_SECONDS: secondsSpread
      .prefault('2')
      .describe('how long a sandbox Stripe payment by a delayed method (SEPA Debit) stays processing before the bank’s answer: seconds, or `min-max`'),
    SANDBOX_DEPLOY_SECONDS: secondsSpread
      .prefault('0.025')
      .describe('how long a sandbox Netlify deploy stays `processing` once its files are in: seconds, or `min-max` for a spread (slow deploys)'),
    SANDBOX_PROVIDER_LIMITS: z
      .enum(['real', 'off'])
      .default('real')
      .describe(
        '`real`: the sandbox servers and our shared limiter enforce the real providers’ published limits (Netlify 500 API requests a minute and 3 deploys a minute per site, Namecheap per user); `off`: the sandbox Netlify and Namecheap enforce none and the shared limiter is not consulted for them (benchmarks measure our throughput, not the quotas; see [decision 0007](decisions/0007-provider-limits-in-postgres.md)). Real providers always keep their limits',
      ),
  },
);
