// The Stripe sandbox: the part of Stripe's API the official SDK calls for Checkout (sessions, refunds), the hosted
// payment page, and signed webhooks. This file starts it; the API's routes are routes.ts (what every call goes through:
// requests.ts), the account's objects state.ts, the pages pages.ts, the webhook endpoints webhook-endpoints.ts.
//
// In the order a payment lives:
//   POST /v1/checkout/sessions            form-encoded, Bearer secret key, Idempotency-Key → Checkout Session (status open)
//   GET  /c/pay/{id}                       the hosted page the customer is sent to
//   POST /c/pay/{id}/pay                   the customer pays → session complete + `checkout.session.completed` webhook
//                                          (a delayed method: complete but unpaid, then `checkout.session.async_payment_succeeded`
//                                          or `checkout.session.async_payment_failed` once the bank answers)
//   GET  /v1/checkout/sessions/{id}        the app reads the outcome
//   POST /v1/checkout/sessions/{id}/expire the app kills a link it replaced → `checkout.session.expired`
//   POST /v1/refunds                       payment_intent + amount → Refund + `charge.refunded`
import { createHmac } from 'node:crypto';
import { sendJson } from '../http/answer.ts';
import type { Ledger } from '../ledger.ts';
import { listenHttp } from '../http/server.ts';
import { paymentOutbox, paymentSandbox, webhookUrlOf, type PaymentSandbox, type PaymentSandboxOptions } from '../webhook-outbox.ts';
import { StripeApiError } from './api.ts';
import type { CheckoutSession, SentEvent, StripeEvent } from './objects.ts';
import { stripePages } from './pages.ts';
import { STRIPE_JSON, stripeApi } from './requests.ts';
import { stripeRoutes } from './routes.ts';
import { StripeAccount, type PaymentChoice } from './state.ts';
import { StripeWebhookEndpoints } from './webhook-endpoints.ts';

export type { CheckoutSession, SentEvent, StripeEvent, WebhookAttempt } from './objects.ts';
export type { PaymentChoice } from './state.ts';

export interface StripeSandboxOptions extends PaymentSandboxOptions {
  /** the only secret key accepted (as `Authorization: Bearer sk_test_...` or HTTP Basic user) */
  secretKey: string;
  /** whsec_... shared with the app; every webhook is signed with it */
  webhookSecret: string;
  /** shortens every session to this many seconds (the real minimum is 30 minutes; demos and tests need less) */
  checkoutTtlSeconds?: number;
  /** how long a delayed payment method (SEPA Debit) stays processing before its outcome (ms), drawn per payment; default 2 s */
  delayedPaymentMs?: () => number;
}

export interface StripeSandbox extends PaymentSandbox<SentEvent> {
  /** every Checkout Session, oldest first */
  sessions(): CheckoutSession[];
  /**
   * pays an open session as the hosted page does (a card by default; a delayed method with its outcome settles after
   * `delayedPaymentMs`); a complete session is returned unchanged
   */
  pay(sessionId: string, choice?: string | PaymentChoice): CheckoutSession;
  /** when a session's payment succeeded (ms since epoch; a delayed method's once the bank said yes), if it did */
  paymentSucceededAt(sessionId: string): number | undefined;
  /** builds, signs and delivers an event, for tests that need an event the flow does not produce */
  sendEvent(type: string, object: object): StripeEvent;
  /** the account's webhook endpoints (the app's is `appEndpointId`); tests change or remove it as the Dashboard would */
  webhookEndpoints: StripeWebhookEndpoints;
  /** the account's books: every refund request that reached a charge, done or refused (refunds.create, by payment intent) */
  ledger: Ledger;
}

export async function startStripeServer(opts: StripeSandboxOptions): Promise<StripeSandbox> {
  const { faults } = opts;
  let baseUrl = '';
  const webhookEndpoints = new StripeWebhookEndpoints(webhookUrlOf(opts));

  const outbox = paymentOutbox(opts, {
    endpoint: () => webhookEndpoints.appUrl(),
    // Stripe signs each attempt afresh, so a retry carries a new timestamp and passes the receiver's tolerance check.
    headers: (payload) => ({
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      'stripe-signature': signStripePayload(payload, opts.webhookSecret),
    }),
    events: () => account.events,
  });

  const account = new StripeAccount({
    settleMs: opts.delayedPaymentMs ?? (() => 2_000),
    publicBase: () => (opts.publicBaseUrl ?? baseUrl).replace(/\/$/, ''),
    deliver: (event) => {
      // an event no enabled endpoint takes is created (GET /v1/events shows it) and sent nowhere
      if (!webhookEndpoints.deliveryUrl(event.type)) return;
      // Stripe sends pretty-printed JSON; a receiver that re-serializes instead of verifying the raw body fails, as in production
      outbox.send(event.id, JSON.stringify(event, null, 2));
    },
  });
  const api = stripeApi({ router: stripeRoutes(account, webhookEndpoints, opts.checkoutTtlSeconds), faults, secretKey: opts.secretKey });
  const pages = stripePages(account);

  const http = await listenHttp(
    (req, res) => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      if (url.pathname.startsWith('/v1/')) return api.handle(req, res, url);
      return pages(req, res, url.pathname);
    },
    {
      host: opts.host,
      port: opts.port,
      failure: (res, err) => sendJson(res, 500, { error: { type: 'api_error', message: `Sandbox failure: ${String(err)}` } }, STRIPE_JSON),
    },
  );
  baseUrl = http.url;

  return {
    ...paymentSandbox({ name: 'stripe', url: baseUrl, faults, events: () => account.events, outbox, stop: [api.close, () => account.close()], server: http }),
    sessions: () => account.sessionList(),
    pay: (sessionId, choice) => {
      try {
        return account.pay(sessionId, typeof choice === 'string' ? { email: choice } : choice);
      } catch (err) {
        if (err instanceof StripeApiError) throw new Error(`stripe sandbox: ${err.body.message}`);
        throw err;
      }
    },
    paymentSucceededAt: (sessionId) => {
      const pi = account.session(sessionId).payment_intent;
      return pi ? account.paymentIntent(pi)?.succeededAt : undefined;
    },
    sendEvent: (type, object) => account.emit(type, object),
    webhookEndpoints,
    ledger: account.ledger,
  };
}

/**
 * `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the whsec_ secret>`
 * (docs.stripe.com/webhooks, "Verify signatures manually").
 */
export function signStripePayload(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${signature}`;
}
