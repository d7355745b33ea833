// Every setting, read from the environment and validated once at start; a bad value stops start-up with a clear message.
// The settings themselves, grouped by capability with their descriptions, are in src/config/; docs/settings.md is generated from them.
import path from 'node:path';
import type { z } from 'zod';
import { settingsSchema } from './config/schema.ts';
import { placeholderContacts } from './config/core.ts';
import { DOCUMENTED_NAMECHEAP_BUDGET, type Budget } from './config/parse.ts';
import { defaultUsdPerUnit, type ExchangeRate } from './domain/money.ts';
import { sellerProblems } from './config/seller.ts';
import { billingProblems } from './config/billing.ts';
import { modeProblems, providerModes, sandboxSetting, type ProviderModes, type SandboxSetting } from './provider-modes.ts';

export { HTTP_RATE_LIMITS, type RateLimitName } from './config/parse.ts';

export type Env = z.infer<typeof settingsSchema>;

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
  /** Namecheap's API budget this installation keeps to: NAMECHEAP_BUDGET, else the documented one (the sandbox's against it) */
  namecheapBudget: Budget;
  /** our currency against the registrar's US dollars */
  exchange: ExchangeRate;
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
  const parsed = settingsSchema.safeParse(env);
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
  // the terms, the legal notice and invoices name their seller, and invoices say whether prices include VAT: no
  // example stands in for either in production
  problems.push(...sellerProblems(e), ...billingProblems(e));
  if (e.NODE_ENV === 'production' && !e.ADMIN_TOKEN) problems.push('ADMIN_TOKEN: required when NODE_ENV=production');
  // alerts and reports must reach someone: in production the example address would send them nowhere
  if (e.NODE_ENV === 'production' && !e.OPERATOR_EMAIL && !e.ALERT_WEBHOOK_URL) {
    problems.push('OPERATOR_EMAIL or ALERT_WEBHOOK_URL: at least one is required when NODE_ENV=production (where alerts and reports go)');
  }
  // the registrar publishes these to the registries as each domain's admin, tech and billing contact: never made up
  const placeholders = modes.namecheap === 'live' ? placeholderContacts(env, e) : [];
  if (placeholders.length) {
    problems.push(`${placeholders.join(', ')}: the operator's contact at Namecheap's live API must be set to true values (their defaults are placeholders)`);
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
    namecheapBudget: e.NAMECHEAP_BUDGET ?? (sandbox.registrar ? e.SANDBOX_NAMECHEAP_BUDGET : DOCUMENTED_NAMECHEAP_BUDGET),
    exchange: { currency: e.CURRENCY, usdPerUnit: defaultUsdPerUnit(e.CURRENCY, e.USD_PER_CURRENCY_UNIT), marginPercent: e.REGISTRAR_PRICE_MARGIN_PERCENT },
    modes,
    sandbox,
  };
}
