// Which service each provider really talks to (our sandbox world, a provider's test mode, or the live service), and the
// rules that keep real money and pretend work apart. Pure: config.ts applies it, the banner and the doctor print it.
import type { Env } from './config.ts';

export type ProviderMode = 'sandbox' | 'test' | 'live';
export type ProviderName = 'stripe' | 'paypal' | 'namecheap' | 'netlify' | 'smtp' | 'availability' | 'dns';
export type ProviderModes = Record<ProviderName, ProviderMode>;
/** SANDBOX as it applies: NODE_ENV=production means `off` unless `on` is set explicitly */
export type SandboxSetting = Env['SANDBOX'];

type ModeSettings = Pick<
  Env,
  | 'NODE_ENV'
  | 'SANDBOX'
  | 'STRIPE_SECRET_KEY'
  | 'PAYPAL_CLIENT_ID'
  | 'PAYPAL_BASE_URL'
  | 'NAMECHEAP_API_KEY'
  | 'NAMECHEAP_BASE_URL'
  | 'NETLIFY_AUTH_TOKEN'
  | 'SMTP_URL'
  | 'RDAP_BOOTSTRAP_FILE'
  | 'WHOIS_SERVER'
>;

export const PROVIDER_LABELS: Record<ProviderName, string> = {
  stripe: 'Stripe',
  paypal: 'PayPal',
  namecheap: 'Namecheap',
  netlify: 'Netlify',
  smtp: 'SMTP',
  availability: 'RDAP/whois',
  dns: 'DNS resolver',
};

/** PayPal's docs name two REST hosts: api-m.sandbox.paypal.com (sandbox) and api-m.paypal.com (live); api.paypal.com is live's older name. */
const PAYPAL_LIVE_HOSTS = ['api-m.paypal.com', 'api.paypal.com'];
/** Namecheap's own sandbox (namecheap.com/support/api/intro); any other host is taken as the live API, which spends money. */
const NAMECHEAP_TEST_HOST = 'api.sandbox.namecheap.com';

const hostOf = (url: string) => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
};

export function sandboxSetting(e: Pick<Env, 'NODE_ENV' | 'SANDBOX'>): SandboxSetting {
  if (e.SANDBOX === 'on') return 'on';
  return e.NODE_ENV === 'production' ? 'off' : e.SANDBOX;
}

export function providerModes(e: ModeSettings): ProviderModes {
  const stripe: ProviderMode = !e.STRIPE_SECRET_KEY ? 'sandbox' : /^(sk|rk)_live_/.test(e.STRIPE_SECRET_KEY) ? 'live' : 'test';
  const paypal: ProviderMode = !e.PAYPAL_CLIENT_ID ? 'sandbox' : PAYPAL_LIVE_HOSTS.includes(hostOf(e.PAYPAL_BASE_URL)) ? 'live' : 'test';
  const namecheap: ProviderMode = !e.NAMECHEAP_API_KEY ? 'sandbox' : hostOf(e.NAMECHEAP_BASE_URL) === NAMECHEAP_TEST_HOST ? 'test' : 'live';
  const netlify: ProviderMode = e.NETLIFY_AUTH_TOKEN ? 'live' : 'sandbox';
  return {
    stripe,
    paypal,
    namecheap,
    netlify,
    smtp: e.SMTP_URL ? 'live' : 'sandbox',
    // availability and DNS follow the providers they serve (see providers/wiring.ts and system.ts)
    availability: !e.NAMECHEAP_API_KEY && !e.RDAP_BOOTSTRAP_FILE && !e.WHOIS_SERVER ? 'sandbox' : 'live',
    dns: netlify === 'sandbox' ? 'sandbox' : 'live',
  };
}

/** What an operator sets to take a provider out of the sandbox world, or out of its test mode. */
function whatToSet(name: ProviderName, mode: ProviderMode): string | undefined {
  if (mode === 'sandbox') {
    const settings: Partial<Record<ProviderName, string>> = {
      stripe: 'STRIPE_SECRET_KEY (sk_live_…), STRIPE_WEBHOOK_SECRET',
      paypal: 'PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, PAYPAL_WEBHOOK_ID, PAYPAL_BASE_URL=https://api-m.paypal.com',
      namecheap: 'NAMECHEAP_API_USER, NAMECHEAP_API_KEY, NAMECHEAP_USERNAME, NAMECHEAP_CLIENT_IP',
      netlify: 'NETLIFY_AUTH_TOKEN',
      smtp: 'SMTP_URL',
    };
    return settings[name];
  }
  if (mode === 'test') {
    const settings: Partial<Record<ProviderName, string>> = {
      stripe: 'STRIPE_SECRET_KEY to a live key (sk_live_… or rk_live_…)',
      paypal: 'PAYPAL_BASE_URL=https://api-m.paypal.com (and live credentials)',
      namecheap: 'NAMECHEAP_BASE_URL=https://api.namecheap.com/xml.response (and live credentials)',
    };
    return settings[name];
  }
  return undefined;
}

/** "Netlify (sandbox world: set NETLIFY_AUTH_TOKEN)" for every provider not live; availability and DNS follow others. */
function pretending(modes: ProviderModes, only: ProviderMode[]): string[] {
  return (Object.keys(modes) as ProviderName[]).flatMap((name) => {
    const set = whatToSet(name, modes[name]);
    if (!set || !only.includes(modes[name])) return [];
    return [`${PROVIDER_LABELS[name]} (${modes[name] === 'sandbox' ? 'sandbox world' : 'test mode'}: set ${set})`];
  });
}

/**
 * The rules, each problem naming what to set:
 *  - a live payment provider (Stripe sk_live_/rk_live_, PayPal's live host) with any provider not live (our sandbox world,
 *    a test mode) takes real money for pretend work, or gives real work for pretend money: refused, always;
 *  - SANDBOX=off (NODE_ENV=production implies it) refuses every provider left in the sandbox world;
 *  - SANDBOX=on (a demonstration installation) refuses what spends real money: live payments, Namecheap's live API.
 */
export function modeProblems(e: ModeSettings): string[] {
  const modes = providerModes(e);
  const sandbox = sandboxSetting(e);
  const problems: string[] = [];
  const livePayments = [modes.stripe === 'live' && `STRIPE_SECRET_KEY is a live key`, modes.paypal === 'live' && `PAYPAL_BASE_URL is PayPal's live API`].filter(
    (s): s is string => !!s,
  );
  if (livePayments.length && sandbox !== 'on') {
    const others = pretending(modes, ['sandbox', 'test']);
    if (others.length) problems.push(`live payments (${livePayments.join(', ')}) with providers that would only pretend: ${others.join('; ')}`);
  }
  if (sandbox === 'off') {
    const others = pretending(modes, ['sandbox']);
    const why = e.SANDBOX === 'off' ? 'SANDBOX=off' : 'NODE_ENV=production (SANDBOX=off unless SANDBOX=on is set for a demonstration)';
    if (others.length) problems.push(`${why}, but these providers would run in the sandbox world: ${others.join('; ')}`);
  }
  if (sandbox === 'on') {
    const live = [...livePayments, modes.namecheap === 'live' && `NAMECHEAP_BASE_URL is Namecheap's live API (it buys real domains)`].filter(
      (s): s is string => !!s,
    );
    if (live.length) problems.push(`SANDBOX=on is a demonstration installation and refuses live keys: ${live.join(', ')}`);
  }
  return problems;
}

/** "Stripe live · PayPal live · …" for the banner and the doctor. */
export function describeModes(modes: ProviderModes): string {
  return (Object.keys(modes) as ProviderName[]).map((name) => `${PROVIDER_LABELS[name]} ${modes[name]}`).join(' · ');
}
