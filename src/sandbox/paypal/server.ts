// The PayPal sandbox: OAuth, Orders v2 (create, show, capture), capture refunds, the buyer's approval page and signed
// webhooks. This file starts it; the API's routes are routes.ts (what every call goes through: requests.ts), OAuth
// oauth.ts, the account's orders state.ts, the pages pages.ts, the app's webhooks webhooks.ts.
//
// In the order a payment lives:
//   POST /v1/oauth2/token                       Basic client_id:secret, grant_type=client_credentials → Bearer token (expires_in)
//   POST /v2/checkout/orders                    intent CAPTURE + purchase_units, PayPal-Request-Id → order with an approve/payer-action link
//   GET  /checkoutnow?token={orderId}           the buyer's approval page
//   POST /checkoutnow/approve                   buyer approves → APPROVED + CHECKOUT.ORDER.APPROVED, back to return_url?token=&PayerID=
//   POST /v2/checkout/orders/{id}/capture       the merchant takes the money → COMPLETED + PAYMENT.CAPTURE.COMPLETED
//   POST /v2/payments/captures/{id}/refund      → refund + PAYMENT.CAPTURE.REFUNDED
//   POST /v1/notifications/verify-webhook-signature   the merchant asks PayPal whether a webhook is genuine
// With the vault (vault.ts): an order whose payment_source.paypal.attributes.vault says store_in_vault ON_SUCCESS saves
// the payer's PayPal at its capture; POST /v2/checkout/orders with payment_source.paypal.vault_id pays without the
// payer; GET / DELETE /v3/vault/payment-tokens/{id}.
// Orders nobody approves in time are voided (CHECKOUT.ORDER.VOIDED).
import { randomUUID } from 'node:crypto';
import { sendJson } from '../http/answer.ts';
import type { Ledger } from '../ledger.ts';
import { listenHttp } from '../http/server.ts';
import { paymentOutbox, paymentSandbox, webhookUrlOf, type PaymentSandbox, type PaymentSandboxOptions } from '../webhook-outbox.ts';
import { PaypalApiError } from './api.ts';
import { PaypalOAuth } from './oauth.ts';
import { isoNow, type PaypalOrder, type SentEvent } from './objects.ts';
import { paypalPages } from './pages.ts';
import { paypalApi } from './requests.ts';
import { paypalRoutes } from './routes.ts';
import { AUTH_ALGO, PaypalAccount } from './state.ts';
import { PaypalWebhooks } from './webhooks.ts';
import { TEST_PAYERS, type PaypalVault } from './vault.ts';

export type {
  PaypalCapture,
  PaypalLink,
  PaypalMoney,
  PaypalOrder,
  PaypalPurchaseUnit,
  PaypalRefund,
  PaypalWebhookEvent,
  SentEvent,
  WebhookAttempt,
} from './objects.ts';

export interface PaypalSandboxOptions extends PaymentSandboxOptions {
  clientId: string;
  clientSecret: string;
  /** the webhook id the merchant registered; verify-webhook-signature succeeds only for this id */
  webhookId: string;
  /** seconds an order waits for the buyer's approval before PayPal voids it (real default: 3 hours) */
  orderTtlSeconds?: number;
  /** lifetime of an OAuth access token (real: about 9 hours) */
  tokenTtlSeconds?: number;
}

export interface PaypalSandbox extends PaymentSandbox<SentEvent> {
  /** every order, oldest first */
  orders(): PaypalOrder[];
  /** approves an order as the buyer would on the approval page (by default as BUYER, vault.ts); returns where the buyer is sent back to */
  approve(orderId: string, payerEmail?: string): { order: PaypalOrder; redirectUrl: string };
  /** invalidates every access token, as an expiry would (tests use it to see a client refresh its token) */
  revokeTokens(): void;
  /** how many access tokens were issued so far */
  tokensIssued(): number;
  /** the app's webhooks (the app's is `appWebhookId`); tests change or remove it as the developer dashboard would */
  webhooks: PaypalWebhooks;
  /** the account's books: every refund request that reached a capture, done or refused (captures.refund, by capture) */
  ledger: Ledger;
  /** the merchant's vault: its switch (`enabled`), its tokens, and swapPayer to make a saved token's payer decline */
  vault: PaypalVault;
}

/**
 * PayPal retries a webhook not answered 2xx "up to 25 times over the course of 3 days"
 * (developer.paypal.com/api/rest/webhooks/, "Webhook event delivery"): 24 waits between 25 attempts, the first ones
 * short (the sandbox's usual pace), then growing by half each time so that they add up to three days.
 */
export const PAYPAL_REDELIVERY_DELAYS_MS = (() => {
  const first = [500, 2_000, 8_000, 30_000];
  const rest = 20;
  const remaining = 3 * 86_400_000 - first.reduce((a, b) => a + b, 0);
  const a1 = (remaining * 0.5) / (1.5 ** rest - 1);
  return [...first, ...Array.from({ length: rest }, (_, i) => Math.round(a1 * 1.5 ** i))];
})();

export async function startPaypalServer(opts: PaypalSandboxOptions): Promise<PaypalSandbox> {
  const { faults } = opts;
  let baseUrl = '';
  const webhooks = new PaypalWebhooks(opts.webhookId, webhookUrlOf(opts), () => baseUrl);

  const outbox = paymentOutbox(opts.webhookRetryDelaysMs ? opts : { ...opts, webhookRetryDelaysMs: PAYPAL_REDELIVERY_DELAYS_MS }, {
    endpoint: () => webhooks.appUrl(),
    // A redelivery repeats its transmission's headers (id, time, signature): PayPal's documentation promises no fresh
    // transmission on a retry, so a receiver must accept an old transmission_time that PayPal's verification accepts.
    sameHeadersOnRetry: true,
    // each delivery (a duplicate, a resend) is a transmission of its own: new id, new time, new signature
    headers: (payload) => {
      const transmissionId = randomUUID();
      const time = isoNow();
      return {
        'content-type': 'application/json',
        'user-agent': 'PayPal/AUHD-214.0-58843434',
        'paypal-transmission-id': transmissionId,
        'paypal-transmission-time': time,
        'paypal-transmission-sig': account.sign(transmissionId, time, opts.webhookId, payload),
        'paypal-cert-url': account.certUrl(),
        'paypal-auth-algo': AUTH_ALGO,
      };
    },
    events: () => account.events,
  });
  // compact JSON: verify-webhook-signature re-serializes the event it is given, so both sides must agree on the bytes
  const send = (eventId: string) => outbox.send(eventId, JSON.stringify(account.event(eventId)));

  const account = new PaypalAccount({
    baseUrl: () => baseUrl,
    publicBase: () => (opts.publicBaseUrl ?? baseUrl).replace(/\/$/, ''),
    orderTtlMs: (opts.orderTtlSeconds ?? 3 * 3600) * 1000,
    webhookId: opts.webhookId,
    // an event no webhook subscribes to is recorded and sent nowhere
    deliver: (event) => {
      if (webhooks.deliveryUrl(event.event_type)) send(event.id);
    },
  });
  const oauth = new PaypalOAuth({
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    tokenTtlSeconds: opts.tokenTtlSeconds ?? 32_400,
    revoked: () => !!faults.faults.revokedCredentials,
  });
  const api = paypalApi({ router: paypalRoutes(account, oauth, webhooks, send), faults, oauth });
  const pages = paypalPages(account);

  const http = await listenHttp(
    (req, res) => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      if (/^\/v[123]\//.test(url.pathname)) return api.handle(req, res, url.pathname);
      return pages(req, res, url);
    },
    {
      host: opts.host,
      port: opts.port,
      failure: (res, err) => sendJson(res, 500, { name: 'INTERNAL_SERVER_ERROR', message: `Sandbox failure: ${String(err)}` }),
    },
  );
  baseUrl = http.url;

  return {
    ...paymentSandbox({ name: 'paypal', url: baseUrl, faults, events: () => account.events, outbox, stop: [api.close, () => account.close()], server: http }),
    orders: () => account.orderList(),
    approve: (orderId, payerEmail) => {
      const payer = payerEmail === undefined ? undefined : TEST_PAYERS[payerEmail]?.payer;
      if (payerEmail !== undefined && !payer) throw new Error(`paypal sandbox: ${payerEmail} is not a test payer`);
      try {
        return account.approve(orderId, payer);
      } catch (err) {
        if (err instanceof PaypalApiError) throw new Error(`paypal sandbox: ${err.details[0]?.issue ?? err.errorName}`);
        throw err;
      }
    },
    revokeTokens: () => oauth.revokeAll(),
    tokensIssued: () => oauth.issued,
    webhooks,
    ledger: account.ledger,
    vault: account.vault,
  };
}
