// PayPal: the client id and secret get an OAuth2 token, and the webhook PAYPAL_WEBHOOK_ID names listens at PUBLIC_URL for
// every event the pipeline handles. One read: GET /v1/notifications/webhooks (Webhooks Management API v1).
import { ProviderError } from '../../errors.ts';
import { PaypalPayments } from '../../providers/payments/paypal/client.ts';
import { PAYPAL_EVENTS_HANDLED } from '../../workflow/payment-events.ts';
import { modeFinding, webhookBase, type DoctorContext } from '../context.ts';
import { describeError, findings, type Finding } from '../report.ts';

const DASHBOARD = 'developer.paypal.com → Apps & Credentials → your app';

export async function checkPaypal(ctx: DoctorContext): Promise<Finding[]> {
  const mode = ctx.config.modes.paypal;
  const f = findings('PayPal', mode);
  const webhookId = mode === 'sandbox' ? ctx.world!.credentials.paypalWebhookId : ctx.config.PAYPAL_WEBHOOK_ID!;
  const out = modeFinding(
    ctx,
    'PayPal',
    mode,
    "PAYPAL_BASE_URL=https://api-m.paypal.com with the live app's PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET and PAYPAL_WEBHOOK_ID",
  );
  const paypal = ctx.providers.payments.paypal;
  if (!(paypal instanceof PaypalPayments)) throw new Error('the PayPal adapter is not PaypalPayments');

  let webhooks: Awaited<ReturnType<PaypalPayments['listWebhooks']>>;
  try {
    webhooks = await paypal.listWebhooks();
    out.push(
      f.ok('credentials (OAuth2 token)', `client id accepted (${mode === 'live' ? 'live' : mode === 'test' ? "PayPal's sandbox" : 'the sandbox world'})`),
    );
  } catch (err) {
    const refused = err instanceof ProviderError && err.code === 'authentication_failed';
    const fix = refused
      ? `check PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET (${DASHBOARD}; a live app's credentials work only with https://api-m.paypal.com, a sandbox app's only with api-m.sandbox.paypal.com)`
      : 'check PAYPAL_BASE_URL and that PayPal is reachable from here';
    out.push(f.failure('credentials (OAuth2 token)', describeError(err), fix));
    return out;
  }

  const url = `${webhookBase(ctx, mode)}/api/concierge/webhook/payment/paypal`;
  const ours = webhooks.find((w) => w.id === webhookId);
  const atUrl = webhooks.find((w) => w.url === url);
  const missing = ours && !ours.eventTypes.includes('*') ? PAYPAL_EVENTS_HANDLED.filter((e) => !ours.eventTypes.includes(e)) : [];
  if (!ours) {
    out.push(
      atUrl
        ? f.failure(
            'webhook',
            `PAYPAL_WEBHOOK_ID=${webhookId} is none of the app's webhooks; ${atUrl.id} listens at ${url}`,
            `set PAYPAL_WEBHOOK_ID=${atUrl.id}`,
          )
        : f.failure(
            'webhook',
            `no webhook ${webhookId} (the app's webhooks: ${webhooks.map((w) => `${w.id} at ${w.url}`).join(', ') || 'none'})`,
            `add a webhook at ${url} for ${PAYPAL_EVENTS_HANDLED.join(', ')} (${DASHBOARD} → Webhooks) and set PAYPAL_WEBHOOK_ID to its id`,
          ),
    );
  } else if (ours.url !== url) {
    out.push(f.failure('webhook', `${webhookId} listens at ${ours.url}, not ${url}`, `change its URL to ${url} (${DASHBOARD} → Webhooks)`));
  } else if (missing.length) {
    out.push(
      f.failure(
        'webhook',
        `${webhookId} at ${url} is not subscribed to ${missing.join(', ')}`,
        `add ${missing.join(', ')} to its events (${DASHBOARD} → Webhooks)`,
      ),
    );
  } else {
    out.push(f.ok('webhook', `${webhookId} at ${url}, events: ${ours.eventTypes.join(', ')}`));
  }
  return out;
}
