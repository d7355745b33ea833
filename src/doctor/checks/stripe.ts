// Stripe: the secret key is accepted (and its mode), an enabled webhook endpoint at PUBLIC_URL takes every event the
// pipeline handles, and its signing secret is set. One read: GET /v1/webhook_endpoints through the official SDK.
import { StripePayments } from '../../providers/payments/stripe/client.ts';
import { STRIPE_EVENTS_HANDLED } from '../../workflow/payment-events.ts';
import { modeFinding, webhookBase, type DoctorContext } from '../context.ts';
import { describeError, findings, redact, type Finding } from '../report.ts';

const DASHBOARD = 'Stripe Dashboard → Developers';

export async function checkStripe(ctx: DoctorContext): Promise<Finding[]> {
  const mode = ctx.config.modes.stripe;
  const f = findings('Stripe', mode);
  const key = mode === 'sandbox' ? ctx.world!.credentials.stripeSecretKey : ctx.config.STRIPE_SECRET_KEY!;
  const secret = mode === 'sandbox' ? ctx.world!.credentials.stripeWebhookSecret : ctx.config.STRIPE_WEBHOOK_SECRET!;
  const out = modeFinding(ctx, 'Stripe', mode, 'STRIPE_SECRET_KEY to a live key (sk_live_… or rk_live_…) and its STRIPE_WEBHOOK_SECRET');
  const stripe = ctx.providers.payments.stripe;
  if (!(stripe instanceof StripePayments)) throw new Error('the Stripe adapter is not StripePayments');

  let endpoints: Awaited<ReturnType<StripePayments['listWebhookEndpoints']>>;
  try {
    endpoints = await stripe.listWebhookEndpoints();
    out.push(f.ok('secret key accepted', `${redact(key)} (${mode === 'live' ? 'live mode' : 'test mode: no real money'})`));
  } catch (err) {
    const permission = /permission/.test(describeError(err));
    out.push(
      f.failure(
        'secret key accepted',
        `${redact(key)}: ${describeError(err)}`,
        permission
          ? 'give the restricted key read access to Webhook Endpoints, or use the secret key'
          : `create or roll a secret key (${DASHBOARD} → API keys) and set STRIPE_SECRET_KEY`,
      ),
    );
    return [...out, signingSecret(f, secret)];
  }

  const url = `${webhookBase(ctx, mode)}/api/concierge/webhook/payment`;
  const wanted = `${STRIPE_EVENTS_HANDLED.join(', ')} (or all events)`;
  const atUrl = endpoints.filter((e) => e.url === url);
  const enabled = atUrl.filter((e) => e.status === 'enabled');
  const missingOf = (events: string[]) => (events.includes('*') ? [] : STRIPE_EVENTS_HANDLED.filter((e) => !events.includes(e)));
  const best = [...enabled].sort((a, b) => missingOf(a.enabledEvents).length - missingOf(b.enabledEvents).length)[0];
  if (!atUrl.length) {
    const others = endpoints.length ? ` (the account's endpoints: ${endpoints.map((e) => e.url).join(', ')})` : ' (the account has none)';
    out.push(
      f.failure(
        'webhook endpoint',
        `no endpoint at ${url}${others}`,
        `add an endpoint at ${url} for ${wanted} (${DASHBOARD} → Webhooks), then set STRIPE_WEBHOOK_SECRET to its signing secret`,
      ),
    );
  } else if (!best) {
    out.push(f.failure('webhook endpoint', `${atUrl.map((e) => e.id).join(', ')} at ${url} is disabled`, `enable it (${DASHBOARD} → Webhooks)`));
  } else if (missingOf(best.enabledEvents).length) {
    const missing = missingOf(best.enabledEvents);
    out.push(
      f.failure(
        'webhook endpoint',
        `${best.id} at ${url} does not take ${missing.join(', ')}`,
        `add ${missing.join(', ')} to ${best.id}'s events (${DASHBOARD} → Webhooks)`,
      ),
    );
  } else {
    out.push(f.ok('webhook endpoint', `${best.id} at ${url}, enabled, events: ${best.enabledEvents.join(', ')}`));
  }
  return [...out, signingSecret(f, secret)];
}

/** Stripe shows an endpoint's secret only at its creation: the doctor can tell it is set and shaped right, not that it matches. */
function signingSecret(f: ReturnType<typeof findings>, secret: string): Finding {
  if (secret.startsWith('whsec_')) return f.ok('webhook signing secret', `STRIPE_WEBHOOK_SECRET is set (${redact(secret)})`);
  return f.failure(
    'webhook signing secret',
    'STRIPE_WEBHOOK_SECRET does not start with whsec_',
    "set it to the endpoint's signing secret (Webhooks → the endpoint → Signing secret)",
  );
}
