// Builds one instance per provider capability: the real service when its credentials are set, the sandbox world's server otherwise.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { SandboxEndpoints } from '../sandbox/world.ts';
import { DomainChecker, directConfirmations } from './availability/checker.ts';
import { RdapSource, loadBootstrap, sandboxBootstrap } from './availability/rdap/client.ts';
import { WhoisSource } from './availability/whois/client.ts';
import { NamecheapRegistrar } from './registrar/namecheap/client.ts';
import { StripePayments } from './payments/stripe/client.ts';
import { PaypalPayments } from './payments/paypal/client.ts';
import { FallbackMailTransport, SmtpTransport } from './mail/smtp/transport.ts';
import { NetlifyHosting } from './hosting/netlify/client.ts';
import type { Hosting } from './hosting/index.ts';
import type { MailTransport } from './mail/index.ts';
import type { PaymentProvider, PaymentProviderName } from './payments/index.ts';
import type { Registrar } from './registrar/index.ts';
import type { RateLimiter } from './limiter.ts';
import type { VatNumberLookup } from '../billing/identity.ts';
import { VIES_PRODUCTION_URL, ViesClient } from '../billing/vies.ts';
import type { Database } from '../db/database.ts';
import { BudgetedRegistrar, PgRegistrarBudget } from './registrar/budget.ts';
import { CheckCoalescer } from './registrar/coalescer.ts';

export interface Providers {
  checker: DomainChecker;
  /** spends the shared budget and counts every call (the bare adapter where nothing is shared: the doctor) */
  registrar: Registrar;
  /** the registrar's shared budget, when its limits apply */
  registrarBudget?: PgRegistrarBudget;
  /** the name checks gathered across requests and processes */
  coalescer?: CheckCoalescer;
  payments: Record<PaymentProviderName, PaymentProvider>;
  mail: MailTransport;
  hosting: Hosting;
  /** secrets the webhook routes verify against */
  webhookSecrets: { stripe: string; paypalWebhookId: string };
  /** the EU's VAT number check (VIES_CHECK=on): VIES_URL, the sandbox world's look-alike, or the EU's service */
  vies: VatNumberLookup;
}

function need(world: SandboxEndpoints | undefined, what: string): SandboxEndpoints {
  if (!world) throw new Error(`${what} has no credentials and the sandbox is off`);
  return world;
}

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url.includes('://') ? url : `tcp://${url}`);
  return { host: u.hostname, port: Number(u.port) };
}

/** The SMTP routes mail takes, in order: SMTP_URL (or the sandbox's server, with its credentials), then SMTP_FALLBACK_URL. */
export function smtpRoutes(config: Config, world: SandboxEndpoints | undefined): { name: string; url: string }[] {
  let primary = config.SMTP_URL;
  if (config.sandbox.mail) {
    const { smtpUser, smtpPass } = need(world, 'SMTP').credentials;
    primary = `smtp://${encodeURIComponent(smtpUser)}:${encodeURIComponent(smtpPass)}@${world!.smtp.url.replace(/^smtp:\/\//, '')}`;
  }
  return [{ name: 'primary', url: primary! }, ...(config.SMTP_FALLBACK_URL ? [{ name: 'fallback', url: config.SMTP_FALLBACK_URL }] : [])];
}

function viesLookup(config: Config, world: SandboxEndpoints | undefined): VatNumberLookup {
  return new ViesClient(config.VIES_URL ?? world?.vies?.url ?? VIES_PRODUCTION_URL);
}

/**
 * `shared`: what every process shares through PostgreSQL (the providers' limits, the registrar's budget, the coalesced
 * checks); without it (the doctor) each provider is its bare adapter.
 */
export async function buildProviders(
  config: Config,
  world: SandboxEndpoints | undefined,
  log: Logger,
  shared?: { db: Database; limiter: RateLimiter },
): Promise<Providers> {
  const sb = config.sandbox;

  const namecheap = sb.registrar
    ? new NamecheapRegistrar({
        baseUrl: `${need(world, 'Namecheap').namecheap.url}/xml.response`,
        apiUser: world!.credentials.namecheapApiUser,
        apiKey: world!.credentials.namecheapApiKey,
        userName: world!.credentials.namecheapApiUser,
        clientIp: '127.0.0.1',
        logger: log,
      })
    : new NamecheapRegistrar({
        baseUrl: config.NAMECHEAP_BASE_URL,
        apiUser: config.NAMECHEAP_API_USER!,
        apiKey: config.NAMECHEAP_API_KEY!,
        userName: config.NAMECHEAP_USERNAME!,
        clientIp: config.NAMECHEAP_CLIENT_IP!,
        logger: log,
      });
  // SANDBOX_PROVIDER_LIMITS=off (benchmarks): a sandbox provider without quotas has no budget to share
  const limitsOff = (sandboxed: boolean) => sandboxed && config.SANDBOX_PROVIDER_LIMITS === 'off';
  const hostingLimiter = limitsOff(sb.hosting) ? undefined : shared?.limiter;
  const registrarBudget = shared && !limitsOff(sb.registrar) ? new PgRegistrarBudget(shared.db, namecheap.name, config.namecheapBudget) : undefined;
  const registrar: Registrar = shared ? new BudgetedRegistrar(namecheap, { budget: registrarBudget }) : namecheap;
  const coalescer = shared
    ? new CheckCoalescer(shared.db, registrar, {
        gatherMs: config.REGISTRAR_CHECK_GATHER_MS,
        holdMs: config.REGISTRAR_CHECK_HOLD_MS,
        scarce: registrarBudget && (() => registrarBudget.halfSpent('confirm')),
        cacheSeconds: config.REGISTRAR_CHECK_CACHE_SECONDS,
        callTimeoutMs: config.AVAILABILITY_TIMEOUT_MS,
        logger: log,
      })
    : undefined;

  const shipped = loadBootstrap(config.RDAP_BOOTSTRAP_FILE);
  const rdap = new RdapSource({
    bootstrap: sb.availability ? sandboxBootstrap(shipped, need(world, 'RDAP').rdap.url) : shipped,
    timeoutMs: config.AVAILABILITY_TIMEOUT_MS,
    userAgent: `Conciergerie/0.1 (+${config.publicUrl})`,
    logger: log,
  });
  const whoisServer = sb.availability ? hostPort(need(world, 'whois').whois.url) : config.WHOIS_SERVER ? hostPort(config.WHOIS_SERVER) : undefined;
  const whois = new WhoisSource({ server: whoisServer, timeoutMs: config.AVAILABILITY_TIMEOUT_MS });
  const checker = new DomainChecker({
    sources: [rdap, whois],
    confirmations: coalescer ?? directConfirmations(namecheap),
    confirmWaitMs: config.REGISTRAR_CONFIRM_WAIT_MS,
    prices: config.TLD_PRICES,
    currency: config.CURRENCY,
    exchange: config.exchange,
    premiumMaxCents: config.PREMIUM_MAX_CENTS,
    concurrency: config.AVAILABILITY_CONCURRENCY,
    budgetMs: config.AVAILABILITY_BUDGET_MS,
    timeoutMs: config.AVAILABILITY_TIMEOUT_MS,
    cacheSeconds: config.AVAILABILITY_CACHE_SECONDS,
    lookupsInFlight: config.AVAILABILITY_LOOKUPS_IN_FLIGHT,
    logger: log,
  });

  const stripe = sb.payments.stripe
    ? new StripePayments({
        secretKey: need(world, 'Stripe').credentials.stripeSecretKey,
        apiHost: { ...hostPort(world!.stripe.url), protocol: 'http' },
        timeoutMs: 10_000,
        paymentMethods: config.STRIPE_PAYMENT_METHODS,
      })
    : new StripePayments({ secretKey: config.STRIPE_SECRET_KEY!, paymentMethods: config.STRIPE_PAYMENT_METHODS });
  const paypal = sb.payments.paypal
    ? new PaypalPayments({
        baseUrl: need(world, 'PayPal').paypal.url,
        clientId: world!.credentials.paypalClientId,
        clientSecret: world!.credentials.paypalClientSecret,
        webhookId: world!.credentials.paypalWebhookId,
        timeoutMs: 10_000,
        // the sandbox voids unapproved orders after its own TTL, as PayPal does after 3 hours
        approvalWindowMs: config.SANDBOX_CHECKOUT_TTL_SECONDS ? config.SANDBOX_CHECKOUT_TTL_SECONDS * 1000 : undefined,
        vault: config.PAYPAL_VAULT,
        logger: log,
      })
    : new PaypalPayments({
        baseUrl: config.PAYPAL_BASE_URL,
        clientId: config.PAYPAL_CLIENT_ID!,
        clientSecret: config.PAYPAL_CLIENT_SECRET!,
        webhookId: config.PAYPAL_WEBHOOK_ID!,
        vault: config.PAYPAL_VAULT,
        logger: log,
      });

  const [primaryMail, ...fallbacks] = smtpRoutes(config, world).map((r) => new SmtpTransport({ url: r.url, from: config.MAIL_FROM, name: r.name }));
  const mail: MailTransport = fallbacks.length ? new FallbackMailTransport([primaryMail, ...fallbacks]) : primaryMail;

  const hosting: Hosting = sb.hosting
    ? new NetlifyHosting({
        baseUrl: need(world, 'Netlify').netlify.apiUrl,
        token: world!.credentials.netlifyToken,
        loadBalancerIp: world!.netlify.loadBalancerIp,
        limiter: hostingLimiter,
        logger: log,
      })
    : new NetlifyHosting({ baseUrl: config.NETLIFY_BASE_URL, token: config.NETLIFY_AUTH_TOKEN!, limiter: shared?.limiter, logger: log });

  return {
    checker,
    registrar,
    registrarBudget,
    coalescer,
    payments: { stripe, paypal },
    mail,
    hosting,
    webhookSecrets: {
      stripe: sb.payments.stripe ? world!.credentials.stripeWebhookSecret : config.STRIPE_WEBHOOK_SECRET!,
      paypalWebhookId: sb.payments.paypal ? world!.credentials.paypalWebhookId : config.PAYPAL_WEBHOOK_ID!,
    },
    vies: viesLookup(config, world),
  };
}
