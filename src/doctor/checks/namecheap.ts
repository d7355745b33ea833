// Namecheap: the API credentials and the whitelisted client IP (global error 1011150 otherwise), and an account balance that
// covers the dearest registration we sell. One read: namecheap.users.getBalances.
import { toUsd } from '../../domain/money.ts';
import { ProviderError } from '../../errors.ts';
import { centsToDecimal } from '../../domain/pricing.ts';
import { NamecheapRegistrar } from '../../providers/registrar/namecheap/client.ts';
import { goingLive, modeFinding, type DoctorContext } from '../context.ts';
import { describeError, findings, type Finding } from '../report.ts';

const PANEL = 'Namecheap → Profile → Tools → Namecheap API Access';

export async function checkNamecheap(ctx: DoctorContext): Promise<Finding[]> {
  const { config } = ctx;
  const mode = config.modes.namecheap;
  const f = findings('Namecheap', mode);
  const out = modeFinding(
    ctx,
    'Namecheap',
    mode,
    "NAMECHEAP_BASE_URL=https://api.namecheap.com/xml.response with the live account's NAMECHEAP_API_USER, NAMECHEAP_API_KEY, NAMECHEAP_USERNAME and NAMECHEAP_CLIENT_IP",
  );
  const registrar = ctx.providers.registrar;
  if (!(registrar instanceof NamecheapRegistrar)) throw new Error('the registrar adapter is not NamecheapRegistrar');
  const clientIp = mode === 'sandbox' ? '127.0.0.1' : config.NAMECHEAP_CLIENT_IP!;

  let balance: Awaited<ReturnType<NamecheapRegistrar['getBalances']>>;
  try {
    balance = await registrar.getBalances();
    out.push(f.ok('credentials and IP whitelist', `users.getBalances answered; ClientIp ${clientIp} is whitelisted`));
  } catch (err) {
    const code = err instanceof ProviderError ? err.code : '';
    if (code === 'ip_not_whitelisted') {
      out.push(
        f.failure(
          'credentials and IP whitelist',
          describeError(err),
          `whitelist ${clientIp} (${PANEL} → Whitelisted IPs), or set NAMECHEAP_CLIENT_IP to this server's public IPv4 address`,
        ),
      );
    } else if (code === 'auth_failed') {
      out.push(
        f.failure(
          'credentials and IP whitelist',
          describeError(err),
          `enable API access and check NAMECHEAP_API_USER, NAMECHEAP_API_KEY and NAMECHEAP_USERNAME (${PANEL})`,
        ),
      );
    } else {
      out.push(f.failure('credentials and IP whitelist', describeError(err), 'check NAMECHEAP_BASE_URL and that Namecheap is reachable from here'));
    }
    return out;
  }
  return [...out, balanceFinding(ctx, f, balance)];
}

function balanceFinding(ctx: DoctorContext, f: ReturnType<typeof findings>, balance: { currency: string; availableCents: number }): Finding {
  const { config } = ctx;
  const have = `${centsToDecimal(balance.availableCents, balance.currency)} ${balance.currency} available`;
  const [tld, priceCents] = Object.entries(config.TLD_PRICES).sort(([, a], [, b]) => b - a)[0];
  const rate = config.exchange.usdPerUnit;
  const inUsd = (cents: number) => toUsd({ cents, currency: config.CURRENCY }, config.exchange)?.cents;
  const needCents = inUsd(priceCents);
  if (rate === undefined || needCents === undefined || balance.currency !== 'USD') {
    const detail = `${have}; cannot compare it with our prices in ${config.CURRENCY}`;
    const fix = `set USD_PER_CURRENCY_UNIT (US dollars for one ${config.CURRENCY})`;
    return goingLive(config) ? f.failure('balance', detail, fix) : f.warning('balance', detail, fix);
  }
  // what we charge for the name is at most what we may pay for it: the dearest TLD we sell, converted with the margin, rounded up
  const rateWords = ` at ${rate} USD/${config.CURRENCY} + ${config.exchange.marginPercent} %`;
  const dearest = `.${tld} (${centsToDecimal(priceCents, config.CURRENCY)} ${config.CURRENCY} ≈ ${centsToDecimal(needCents, 'USD')} USD${config.CURRENCY === 'USD' ? '' : rateWords})`;
  if (balance.availableCents < needCents) {
    return f.failure(
      'balance',
      `${have}: less than the dearest registration we sell, ${dearest}`,
      'add funds to the Namecheap account (Profile → Billing → Add funds)',
    );
  }
  const premiumCents = inUsd(config.PREMIUM_MAX_CENTS) ?? Number.POSITIVE_INFINITY;
  if (balance.availableCents < premiumCents) {
    return f.warning(
      'balance',
      `${have}: covers ${dearest}, not a premium name up to ${centsToDecimal(premiumCents, 'USD')} USD (PREMIUM_MAX_CENTS)`,
      'add funds, or lower PREMIUM_MAX_CENTS',
    );
  }
  return f.ok('balance', `${have}: covers the dearest registration we sell, ${dearest}`);
}
