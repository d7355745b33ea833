// The PayPal sandbox: OAuth, Orders v2 (create, show, capture), capture refunds, the buyer's approval page and signed webhooks.
//
// Reading guide, in the order a payment lives:
//   POST /v1/oauth2/token                       Basic client_id:secret, grant_type=client_credentials → Bearer token (expires_in)
//   POST /v2/checkout/orders                    intent CAPTURE + purchase_units, PayPal-Request-Id → order with an approve/payer-action link
//   GET  /checkoutnow?token={orderId}           the buyer's approval page (www.paypal.com in real life)
//   POST /checkoutnow/approve                   buyer approves → APPROVED + CHECKOUT.ORDER.APPROVED, back to return_url?token=&PayerID=
//   POST /v2/checkout/orders/{id}/capture       the merchant takes the money → COMPLETED + PAYMENT.CAPTURE.COMPLETED
//   POST /v2/payments/captures/{id}/refund      → refund + PAYMENT.CAPTURE.REFUNDED
//   POST /v1/notifications/verify-webhook-signature   the merchant asks PayPal whether a webhook is genuine
//   /v1/notifications/webhooks                  where events go (webhooks.ts): the app's webhook, registered at start
// Orders nobody approves in time are voided (CHECKOUT.ORDER.VOIDED). Sandbox-only controls live under /__sandbox/.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { FaultInjector, SandboxServer } from '../faults.ts';
import { WebhookOutbox, type WebhookAttempt } from '../webhook-outbox.ts';
import { PaypalApiError, invalidRequest, missing, notFound, paypalId, syntax, unprocessable } from './api.ts';
import { PaypalWebhooks } from './webhooks.ts';

export interface PaypalSandboxOptions {
  clientId: string;
  clientSecret: string;
  /** the webhook id the merchant registered; verify-webhook-signature succeeds only for this id */
  webhookId: string;
  /** where events are POSTed; a function so the app's port can be known after the sandbox starts */
  webhookUrl: string | (() => string | undefined);
  /** base of the approval page URLs handed to buyers (defaults to the server's own URL) */
  publicBaseUrl?: string;
  host?: string;
  port?: number;
  faults: FaultInjector;
  /** seconds an order waits for the buyer's approval before PayPal voids it (real default: 3 hours) */
  orderTtlSeconds?: number;
  /** lifetime of an OAuth access token (real: about 9 hours) */
  tokenTtlSeconds?: number;
  /** waits between webhook delivery attempts; one more attempt than delays (real PayPal retries 25 times over 3 days) */
  webhookRetryDelaysMs?: number[];
  /** how long a webhook picked for reordering waits for the next event before going out anyway */
  reorderHoldMs?: number;
}

export interface PaypalMoney {
  currency_code: string;
  value: string;
}

export interface PaypalLink {
  href: string;
  rel: string;
  method: 'GET' | 'POST' | 'PATCH';
}

export interface PaypalCapture {
  id: string;
  status: 'COMPLETED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
  amount: PaypalMoney;
  final_capture: true;
  seller_protection: { status: 'ELIGIBLE'; dispute_categories: string[] };
  seller_receivable_breakdown: { gross_amount: PaypalMoney; paypal_fee: PaypalMoney; net_amount: PaypalMoney };
  custom_id?: string;
  links: PaypalLink[];
  create_time: string;
  update_time: string;
}

export interface PaypalPurchaseUnit {
  reference_id: string;
  amount: PaypalMoney;
  payee: { email_address: string; merchant_id: string };
  description?: string;
  custom_id?: string;
  invoice_id?: string;
  payments?: { captures: PaypalCapture[] };
}

export interface PaypalOrder {
  id: string;
  intent: 'CAPTURE';
  status: 'CREATED' | 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED' | 'VOIDED';
  payment_source?: { paypal: Record<string, unknown> };
  purchase_units: PaypalPurchaseUnit[];
  payer?: { name: { given_name: string; surname: string }; email_address: string; payer_id: string; address: { country_code: string } };
  create_time: string;
  update_time?: string;
  links: PaypalLink[];
}

export interface PaypalRefund {
  id: string;
  amount: PaypalMoney;
  seller_payable_breakdown: { gross_amount: PaypalMoney; paypal_fee: PaypalMoney; net_amount: PaypalMoney; total_refunded_amount: PaypalMoney };
  custom_id?: string;
  status: 'COMPLETED';
  create_time: string;
  update_time: string;
  links: PaypalLink[];
}

export interface PaypalWebhookEvent {
  id: string;
  event_version: '1.0';
  create_time: string;
  resource_type: string;
  resource_version: '2.0';
  event_type: string;
  summary: string;
  resource: object;
  links: PaypalLink[];
}

export type { WebhookAttempt } from '../webhook-outbox.ts';

export interface SentEvent {
  event: PaypalWebhookEvent;
  attempts: WebhookAttempt[];
}

export interface PaypalSandbox extends SandboxServer {
  /** every order, oldest first */
  orders(): PaypalOrder[];
  /** every event and its delivery attempts, oldest first */
  events(): SentEvent[];
  /** approves an order as the buyer would on the approval page; returns where the buyer is sent back to */
  approve(orderId: string): { order: PaypalOrder; redirectUrl: string };
  /** invalidates every access token, as an expiry would (tests use it to see a client refresh its token) */
  revokeTokens(): void;
  /** how many access tokens were issued so far */
  tokensIssued(): number;
  /** resolves once no webhook is waiting for delivery or retry */
  webhooksIdle(): Promise<void>;
  /** the app's webhooks (the app's is `appWebhookId`); tests change or remove it as the developer dashboard would */
  webhooks: PaypalWebhooks;
}

/** Currencies PayPal takes without decimals. */
const ZERO_DECIMAL = new Set(['HUF', 'JPY', 'TWD']);
const MERCHANT = { email_address: 'merchant@conciergerie.example', merchant_id: 'SANDBOXMERCH01' };
const BUYER = { given_name: 'Camille', surname: 'Sandbox', email_address: 'buyer@sandbox.paypal.example' };
/**
 * PayPal signs webhooks with RSA (SHA256withRSA) and a certificate at PAYPAL-CERT-URL. The sandbox signs the same
 * string with an HMAC it alone holds, so the only way to check a delivery is to ask verify-webhook-signature,
 * which is what merchants are told to do anyway. The header says what the real one says.
 */
const AUTH_ALGO = 'SHA256withRSA';

interface OrderRecord {
  order: PaypalOrder;
  returnUrl?: string;
  cancelUrl?: string;
  locale?: string;
  brandName?: string;
  /** when the buyer can no longer approve it */
  approveBy: number;
  timer?: NodeJS.Timeout;
}

interface CaptureRecord {
  capture: PaypalCapture;
  orderId: string;
  refundedMinor: number;
}

interface RequestIdRecord {
  body: string;
  /** PayPal answers a repeated PayPal-Request-Id with the latest state of what the first request made */
  latest: () => { status: number; body: unknown };
  at: number;
}

export async function startPaypalServer(opts: PaypalSandboxOptions): Promise<PaypalSandbox> {
  const { faults } = opts;
  const orderTtlMs = (opts.orderTtlSeconds ?? 3 * 3600) * 1000;
  const tokenTtlSeconds = opts.tokenTtlSeconds ?? 32_400;
  const signingKey = randomBytes(32);
  const tokens = new Map<string, number>();
  let issued = 0;
  const orders = new Map<string, OrderRecord>();
  const captures = new Map<string, CaptureRecord>();
  const refunds = new Map<string, PaypalRefund>();
  const requestIds = new Map<string, RequestIdRecord>();
  const sentEvents: SentEvent[] = [];
  let baseUrl = '';
  const publicBase = () => (opts.publicBaseUrl ?? baseUrl).replace(/\/$/, '');
  const certUrl = () => `${baseUrl}/v1/notifications/certs/CERT-360caa42-fca2a594-sandbox`;
  const endpoint = typeof opts.webhookUrl === 'function' ? opts.webhookUrl : () => opts.webhookUrl as string;
  const isoNow = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

  /** The string PayPal signs: transmission id, time, the receiver's webhook id and the CRC32 of the raw body, joined by "|". */
  const signature = (transmissionId: string, time: string, webhookId: string, body: string) =>
    createHmac('sha256', signingKey)
      .update(`${transmissionId}|${time}|${webhookId}|${crc32(body)}`)
      .digest('base64');

  const webhooks = new PaypalWebhooks(opts.webhookId, endpoint, () => baseUrl);

  const outbox = new WebhookOutbox({
    faults,
    endpoint: () => webhooks.appUrl(),
    retryDelaysMs: opts.webhookRetryDelaysMs ?? [500, 2_000, 8_000, 30_000],
    reorderHoldMs: opts.reorderHoldMs ?? 1_000,
    // every attempt is a new transmission: new id, new time, new signature
    headers: (payload) => {
      const transmissionId = randomUUID();
      const time = isoNow();
      return {
        'content-type': 'application/json',
        'user-agent': 'PayPal/AUHD-214.0-58843434',
        'paypal-transmission-id': transmissionId,
        'paypal-transmission-time': time,
        'paypal-transmission-sig': signature(transmissionId, time, opts.webhookId, payload),
        'paypal-cert-url': certUrl(),
        'paypal-auth-algo': AUTH_ALGO,
      };
    },
    onAttempt: (eventId, attempt) => sentEvents.find((e) => e.event.id === eventId)?.attempts.push(attempt),
  });

  function emit(eventType: string, resourceType: string, summary: string, resource: object): PaypalWebhookEvent {
    const id = `WH-${paypalId(17)}-${paypalId(17)}`;
    const event: PaypalWebhookEvent = {
      id,
      event_version: '1.0',
      create_time: isoNow(),
      resource_type: resourceType,
      resource_version: '2.0',
      event_type: eventType,
      summary,
      resource: structuredClone(resource),
      links: [
        { href: `${baseUrl}/v1/notifications/webhooks-events/${id}`, rel: 'self', method: 'GET' },
        { href: `${baseUrl}/v1/notifications/webhooks-events/${id}/resend`, rel: 'resend', method: 'POST' },
      ],
    };
    sentEvents.push({ event, attempts: [] });
    // an event no webhook subscribes to is recorded and sent nowhere
    if (!webhooks.deliveryUrl(eventType)) return event;
    // compact JSON: verify-webhook-signature re-serializes the event it is given, so both sides must agree on the bytes
    outbox.send(id, JSON.stringify(event));
    return event;
  }

  // ---- Orders ------------------------------------------------------------------------------

  function createOrder(body: Record<string, unknown>): OrderRecord {
    if (body.intent === undefined) throw invalidRequest(missing('/intent'));
    if (body.intent !== 'CAPTURE') {
      if (body.intent === 'AUTHORIZE') throw unprocessable('SANDBOX_INTENT_NOT_SUPPORTED', 'The sandbox models intent CAPTURE only.');
      throw invalidRequest({
        field: '/intent',
        value: String(body.intent),
        location: 'body',
        issue: 'INVALID_PARAMETER_VALUE',
        description: 'The value of a field is invalid.',
      });
    }
    const units = body.purchase_units;
    if (!Array.isArray(units) || units.length === 0) throw invalidRequest(missing('/purchase_units'));
    if (units.length > 1) throw unprocessable('SANDBOX_MULTIPLE_PURCHASE_UNITS', 'The sandbox models a single purchase unit.');
    const unit = (units[0] ?? {}) as Record<string, unknown>;
    const amount = unit.amount as Partial<PaypalMoney> | undefined;
    if (!amount) throw invalidRequest(missing("/purchase_units/@reference_id=='default'/amount"));
    const money = validMoney(amount, "/purchase_units/@reference_id=='default'/amount");

    // Two ways to say where the buyer goes: the current payment_source.paypal.experience_context, or the
    // older application_context. PayPal answers the first with PAYER_ACTION_REQUIRED and a "payer-action" link.
    const paymentSource = (body.payment_source as { paypal?: { experience_context?: Record<string, string> } } | undefined)?.paypal;
    const context = paymentSource?.experience_context ?? (body.application_context as Record<string, string> | undefined) ?? {};
    const id = paypalId(17);
    const now = isoNow();
    const order: PaypalOrder = {
      id,
      intent: 'CAPTURE',
      status: paymentSource ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
      ...(paymentSource ? { payment_source: { paypal: {} } } : {}),
      purchase_units: [
        {
          reference_id: typeof unit.reference_id === 'string' ? unit.reference_id : 'default',
          amount: money,
          payee: MERCHANT,
          ...(typeof unit.description === 'string' ? { description: unit.description } : {}),
          ...(typeof unit.custom_id === 'string' ? { custom_id: unit.custom_id } : {}),
          ...(typeof unit.invoice_id === 'string' ? { invoice_id: unit.invoice_id } : {}),
        },
      ],
      create_time: now,
      links: [
        { href: `${baseUrl}/v2/checkout/orders/${id}`, rel: 'self', method: 'GET' },
        ...(paymentSource
          ? [{ href: `${publicBase()}/checkoutnow?token=${id}`, rel: 'payer-action', method: 'GET' } as const]
          : [
              { href: `${publicBase()}/checkoutnow?token=${id}`, rel: 'approve', method: 'GET' } as const,
              { href: `${baseUrl}/v2/checkout/orders/${id}`, rel: 'update', method: 'PATCH' } as const,
              { href: `${baseUrl}/v2/checkout/orders/${id}/capture`, rel: 'capture', method: 'POST' } as const,
            ]),
      ],
    };
    const record: OrderRecord = {
      order,
      returnUrl: context.return_url,
      cancelUrl: context.cancel_url,
      locale: context.locale,
      brandName: context.brand_name,
      approveBy: Date.now() + orderTtlMs,
    };
    record.timer = setTimeout(() => voidIfUnapproved(id), Math.min(orderTtlMs, 2 ** 31 - 1));
    record.timer.unref();
    orders.set(id, record);
    return record;
  }

  /** Voiding happens on the timer, but every read checks too so no one sees an approvable order past its time. */
  function voidIfUnapproved(id: string): void {
    const record = orders.get(id);
    if (!record || (record.order.status !== 'CREATED' && record.order.status !== 'PAYER_ACTION_REQUIRED')) return;
    if (record.approveBy > Date.now()) return;
    clearTimeout(record.timer);
    record.order.status = 'VOIDED';
    record.order.update_time = isoNow();
    record.order.links = [{ href: `${baseUrl}/v2/checkout/orders/${id}`, rel: 'self', method: 'GET' }];
    emit('CHECKOUT.ORDER.VOIDED', 'checkout-order', 'Checkout Order Voided', record.order);
  }

  function findOrder(id: string): OrderRecord {
    voidIfUnapproved(id);
    const record = orders.get(id);
    if (!record) throw notFound('order_id', id);
    return record;
  }

  function approveOrder(id: string): { order: PaypalOrder; redirectUrl: string } {
    const record = findOrder(id);
    const { order } = record;
    if (order.status === 'VOIDED') throw unprocessable('ORDER_EXPIRED', 'The order has expired.');
    if (order.status === 'CREATED' || order.status === 'PAYER_ACTION_REQUIRED') {
      clearTimeout(record.timer);
      const payerId = paypalId(13);
      order.status = 'APPROVED';
      order.update_time = isoNow();
      order.payer = {
        name: { given_name: BUYER.given_name, surname: BUYER.surname },
        email_address: BUYER.email_address,
        payer_id: payerId,
        address: { country_code: 'FR' },
      };
      order.payment_source = {
        paypal: {
          email_address: BUYER.email_address,
          account_id: payerId,
          account_status: 'VERIFIED',
          name: { given_name: BUYER.given_name, surname: BUYER.surname },
          address: { country_code: 'FR' },
        },
      };
      order.links = [
        { href: `${baseUrl}/v2/checkout/orders/${id}`, rel: 'self', method: 'GET' },
        { href: `${baseUrl}/v2/checkout/orders/${id}`, rel: 'update', method: 'PATCH' },
        { href: `${baseUrl}/v2/checkout/orders/${id}/capture`, rel: 'capture', method: 'POST' },
      ];
      emit('CHECKOUT.ORDER.APPROVED', 'checkout-order', 'An order has been approved by buyer', order);
    }
    return { order, redirectUrl: returnUrl(record) };
  }

  function returnUrl(record: OrderRecord): string {
    const target = record.returnUrl ?? `${publicBase()}/checkoutnow/done`;
    const sep = target.includes('?') ? '&' : '?';
    return `${target}${sep}token=${record.order.id}&PayerID=${record.order.payer?.payer_id ?? ''}`;
  }

  function captureOrder(id: string): PaypalOrder {
    const record = findOrder(id);
    const { order } = record;
    switch (order.status) {
      case 'COMPLETED':
        throw unprocessable('ORDER_ALREADY_CAPTURED', "Order already captured. If 'intent=CAPTURE' only one capture per order is allowed.");
      case 'VOIDED':
        throw unprocessable('ORDER_EXPIRED', 'The order has expired.');
      case 'CREATED':
      case 'PAYER_ACTION_REQUIRED':
        throw unprocessable(
          'ORDER_NOT_APPROVED',
          "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request.",
        );
    }
    const unit = order.purchase_units[0];
    const currency = unit.amount.currency_code;
    const gross = toMinor(unit.amount.value, currency);
    // PayPal's fee in the euro area, roughly: 2.9 % + 0.35
    const fee = Math.round(gross * 0.029) + (ZERO_DECIMAL.has(currency) ? 0 : 35);
    const captureId = paypalId(17);
    const now = isoNow();
    const capture: PaypalCapture = {
      id: captureId,
      status: 'COMPLETED',
      amount: unit.amount,
      final_capture: true,
      seller_protection: { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] },
      seller_receivable_breakdown: {
        gross_amount: unit.amount,
        paypal_fee: money(fee, currency),
        net_amount: money(gross - fee, currency),
      },
      ...(unit.custom_id ? { custom_id: unit.custom_id } : {}),
      links: [
        { href: `${baseUrl}/v2/payments/captures/${captureId}`, rel: 'self', method: 'GET' },
        { href: `${baseUrl}/v2/payments/captures/${captureId}/refund`, rel: 'refund', method: 'POST' },
        { href: `${baseUrl}/v2/checkout/orders/${id}`, rel: 'up', method: 'GET' },
      ],
      create_time: now,
      update_time: now,
    };
    unit.payments = { captures: [capture] };
    order.status = 'COMPLETED';
    order.update_time = now;
    order.links = [{ href: `${baseUrl}/v2/checkout/orders/${id}`, rel: 'self', method: 'GET' }];
    captures.set(captureId, { capture, orderId: id, refundedMinor: 0 });
    emit('PAYMENT.CAPTURE.COMPLETED', 'capture', `Payment completed for ${unit.amount.value} ${currency}`, {
      ...capture,
      supplementary_data: { related_ids: { order_id: id } },
    });
    return order;
  }

  // ---- Refunds -----------------------------------------------------------------------------

  function findCapture(id: string): CaptureRecord {
    const record = captures.get(id);
    if (!record) throw notFound('capture_id', id);
    return record;
  }

  function refundCapture(id: string, body: Record<string, unknown>): PaypalRefund {
    const record = findCapture(id);
    const { capture } = record;
    const currency = capture.amount.currency_code;
    const total = toMinor(capture.amount.value, currency);
    const remaining = total - record.refundedMinor;
    if (remaining === 0) throw unprocessable('CAPTURE_FULLY_REFUNDED', 'The capture has already been fully refunded.');
    let amount = remaining;
    if (body.amount !== undefined) {
      const requested = validMoney(body.amount as Partial<PaypalMoney>, '/amount');
      if (requested.currency_code !== currency) {
        throw unprocessable('REFUND_CURRENCY_MISMATCH', 'Refund must be in the same currency as the capture.');
      }
      amount = toMinor(requested.value, currency);
      if (amount > remaining) {
        throw unprocessable('REFUND_AMOUNT_EXCEEDED', 'The refund amount must be less than or equal to the capture amount that has not yet been refunded.');
      }
    }
    record.refundedMinor += amount;
    const now = isoNow();
    capture.status = record.refundedMinor === total ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    capture.update_time = now;
    const feeBack = Math.round((amount / total) * toMinor(capture.seller_receivable_breakdown.paypal_fee.value, currency));
    const refundId = paypalId(17);
    const refund: PaypalRefund = {
      id: refundId,
      amount: money(amount, currency),
      seller_payable_breakdown: {
        gross_amount: money(amount, currency),
        paypal_fee: money(feeBack, currency),
        net_amount: money(amount - feeBack, currency),
        total_refunded_amount: money(record.refundedMinor, currency),
      },
      ...(capture.custom_id ? { custom_id: capture.custom_id } : {}),
      status: 'COMPLETED',
      create_time: now,
      update_time: now,
      links: [
        { href: `${baseUrl}/v2/payments/refunds/${refundId}`, rel: 'self', method: 'GET' },
        { href: `${baseUrl}/v2/payments/captures/${id}`, rel: 'up', method: 'GET' },
      ],
    };
    refunds.set(refundId, refund);
    emit('PAYMENT.CAPTURE.REFUNDED', 'refund', `A ${refund.amount.value} ${currency} capture payment was refunded`, refund);
    return refund;
  }

  // ---- Webhook verification ----------------------------------------------------------------

  function verifyWebhookSignature(body: Record<string, unknown>): { verification_status: 'SUCCESS' | 'FAILURE' } {
    const fields = ['auth_algo', 'cert_url', 'transmission_id', 'transmission_sig', 'transmission_time', 'webhook_id'] as const;
    const absent = fields.filter((f) => typeof body[f] !== 'string' || !body[f]);
    if (body.webhook_event === undefined || typeof body.webhook_event !== 'object') absent.push('webhook_event' as never);
    if (absent.length) {
      throw new PaypalApiError(
        400,
        'VALIDATION_ERROR',
        'Invalid request - see details',
        absent.map((f) => ({ field: f, location: 'body', issue: 'Required field cannot be blank', description: 'Required field cannot be blank' })),
      );
    }
    const v = body as Record<(typeof fields)[number], string> & { webhook_event: unknown };
    // PayPal recomputes the CRC32 over the event as it received it here, which is why merchants must pass the body unmodified
    const expected = Buffer.from(signature(v.transmission_id, v.transmission_time, v.webhook_id, JSON.stringify(v.webhook_event)));
    const given = Buffer.from(v.transmission_sig);
    const genuine =
      v.webhook_id === opts.webhookId &&
      v.auth_algo === AUTH_ALGO &&
      v.cert_url === certUrl() &&
      expected.length === given.length &&
      timingSafeEqual(expected, given);
    return { verification_status: genuine ? 'SUCCESS' : 'FAILURE' };
  }

  // ---- The API -----------------------------------------------------------------------------

  function issueToken(req: IncomingMessage, raw: string): { status: number; body: unknown } {
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const [id, ...rest] = basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':') : [];
    if (id !== opts.clientId || rest.join(':') !== opts.clientSecret || opts.faults.faults.revokedCredentials) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Client Authentication failed' } };
    }
    if (new URLSearchParams(raw).get('grant_type') !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' } };
    }
    const token = `A21AA${randomBytes(48).toString('base64url')}`;
    tokens.set(token, Date.now() + tokenTtlSeconds * 1000);
    issued++;
    return {
      status: 200,
      body: {
        scope:
          'https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/payments/refund https://uri.paypal.com/services/applications/webhooks',
        access_token: token,
        token_type: 'Bearer',
        app_id: 'APP-80W284485P519543T',
        expires_in: tokenTtlSeconds,
        nonce: `${isoNow()}${randomBytes(16).toString('base64url')}`,
      },
    };
  }

  function authenticated(req: IncomingMessage): boolean {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const expiry = bearer ? tokens.get(bearer[1].trim()) : undefined;
    return expiry !== undefined && expiry > Date.now();
  }

  /** Runs a POST under PayPal-Request-Id: the same id and body answer the latest state; the same id with another body is refused. */
  function idempotent(req: IncomingMessage, path: string, raw: string, run: () => { status: number; body: unknown; latest: RequestIdRecord['latest'] }) {
    const requestId = header(req, 'paypal-request-id');
    if (!requestId) return run();
    const key = `${path}|${requestId}`;
    const body = canonicalJson(raw ? JSON.parse(raw) : {});
    const seen = requestIds.get(key);
    if (seen && seen.body !== body) {
      throw unprocessable('PAYPAL_REQUEST_ID_PREVIOUSLY_USED', 'The PayPal-Request-Id has already been used for another request.');
    }
    if (seen) {
      const latest = seen.latest();
      return { status: latest.status === 201 ? 200 : latest.status, body: latest.body };
    }
    const result = run();
    requestIds.set(key, { body, latest: result.latest, at: Date.now() });
    return result;
  }

  function route(req: IncomingMessage, method: string, path: string, raw: string): { status: number; body: unknown } {
    const json = (): Record<string, unknown> => {
      if (!raw.trim()) return {};
      try {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
      } catch {
        // fall through to PayPal's answer for a body that is not a JSON object
      }
      throw invalidRequest({ location: 'body', issue: 'MALFORMED_REQUEST_JSON', description: 'The request JSON is not well formed.' });
    };
    const minimal = !/return=representation/i.test(header(req, 'prefer') ?? '');
    const show = (o: PaypalOrder) =>
      minimal ? { id: o.id, status: o.status, ...(o.payment_source ? { payment_source: o.payment_source } : {}), links: o.links } : o;
    let m: RegExpMatchArray | null;

    if (method === 'POST' && path === '/v2/checkout/orders') {
      const body = json();
      return idempotent(req, path, raw, () => {
        const record = createOrder(body);
        return { status: 201, body: show(record.order), latest: () => ({ status: 200, body: show(record.order) }) };
      });
    }
    if (method === 'GET' && (m = path.match(/^\/v2\/checkout\/orders\/([^/]+)$/))) return { status: 200, body: findOrder(m[1]).order };
    if (method === 'POST' && (m = path.match(/^\/v2\/checkout\/orders\/([^/]+)\/capture$/))) {
      const id = m[1];
      json();
      return idempotent(req, path, raw, () => {
        const order = captureOrder(id);
        return { status: 201, body: show(order), latest: () => ({ status: 200, body: show(findOrder(id).order) }) };
      });
    }
    if (method === 'GET' && (m = path.match(/^\/v2\/payments\/captures\/([^/]+)$/))) {
      const record = findCapture(m[1]);
      return { status: 200, body: { ...record.capture, supplementary_data: { related_ids: { order_id: record.orderId } } } };
    }
    if (method === 'POST' && (m = path.match(/^\/v2\/payments\/captures\/([^/]+)\/refund$/))) {
      const id = m[1];
      const body = json();
      return idempotent(req, path, raw, () => {
        const refund = refundCapture(id, body);
        const view = () => (minimal ? { id: refund.id, status: refund.status, links: refund.links } : refund);
        return { status: 201, body: view(), latest: () => ({ status: 200, body: view() }) };
      });
    }
    if (method === 'GET' && (m = path.match(/^\/v2\/payments\/refunds\/([^/]+)$/))) {
      const refund = refunds.get(m[1]);
      if (!refund) throw notFound('refund_id', m[1]);
      return { status: 200, body: refund };
    }
    if (method === 'POST' && path === '/v1/notifications/verify-webhook-signature') return { status: 200, body: verifyWebhookSignature(json()) };
    // Resend event notification (Webhooks API v1): the `resend` link every event carries; it goes out as a new transmission
    // (new id, time and signature), which is how a replay reaches the merchant (chaos runs use it)
    if (method === 'POST' && (m = path.match(/^\/v1\/notifications\/webhooks-events\/([^/]+)\/resend$/))) {
      const sent = sentEvents.find((e) => e.event.id === m![1]);
      if (!sent) throw notFound('event_id', m[1]);
      outbox.send(sent.event.id, JSON.stringify(sent.event));
      return { status: 202, body: sent.event };
    }
    const query = new URL(req.url ?? '/', 'http://sandbox').searchParams;
    // a JSON Patch body is an array, which json() refuses
    const patchOrObject = (): unknown => {
      if (method !== 'PATCH' || !raw.trim().startsWith('[')) return json();
      try {
        return JSON.parse(raw);
      } catch {
        throw invalidRequest({ location: 'body', issue: 'MALFORMED_REQUEST_JSON', description: 'The request JSON is not well formed.' });
      }
    };
    const hooks = webhooks.route(method, path, query, patchOrObject);
    if (hooks) return hooks;
    throw new PaypalApiError(404, 'NOT_FOUND', 'The specified resource does not exist.', [
      { issue: 'RESOURCE_NOT_FOUND', description: `No route for ${method} ${path}.` },
    ]);
  }

  async function api(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const answerServerError = (r: ServerResponse) =>
      sendJson(r, 500, errorBody(new PaypalApiError(500, 'INTERNAL_SERVER_ERROR', 'An internal server error has occurred.')));
    if (!(await faults.apply(req, res, answerServerError))) return;
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const debugId = randomBytes(7).toString('hex').slice(0, 13);
    const headers = { 'paypal-debug-id': debugId };

    if (method === 'POST' && path === '/v1/oauth2/token') {
      const { status, body } = issueToken(req, raw);
      return sendJson(res, status, body, headers);
    }
    if (!authenticated(req) || opts.faults.faults.revokedCredentials) {
      // v1 answers in OAuth's words, v2 in the REST error format
      const body = path.startsWith('/v1/')
        ? { error: 'invalid_token', error_description: 'Token signature verification failed' }
        : errorBody(
            new PaypalApiError(
              401,
              'AUTHENTICATION_FAILURE',
              'Authentication failed due to invalid authentication credentials or a missing Authorization header.',
            ),
            debugId,
          );
      return sendJson(res, 401, body, headers);
    }
    // an order, a capture or a refund: the chaos run kills its caller here, or loses its answer once it is made
    const spends = method === 'POST' ? spendingOperation(path) : undefined;
    if (spends) await faults.spending('paypal', spends, req, res, answerServerError);
    try {
      const { status, body } = route(req, method, path, raw);
      sendJson(res, status, body, headers);
    } catch (err) {
      if (!(err instanceof PaypalApiError)) throw err;
      sendJson(res, err.status, errorBody(err, debugId), headers);
    }
  }

  // ---- The approval page -------------------------------------------------------------------

  function approvalPage(req: IncomingMessage, res: ServerResponse, id: string, action: 'view' | 'approve' | 'cancel') {
    let record: OrderRecord;
    try {
      record = findOrder(id);
    } catch {
      return sendHtml(res, 404, page('en', t('en').notFound, `<h1>${t('en').notFound}</h1>`));
    }
    const { order } = record;
    const lang = pageLocale(record.locale, req.headers['accept-language']);
    const text = t(lang);
    const unit = order.purchase_units[0];
    const amount = formatAmount(unit.amount, lang);

    if (action === 'cancel') {
      if (!record.cancelUrl) return sendHtml(res, 200, page(lang, text.cancelled, `<h1>${text.cancelled}</h1>`));
      res.writeHead(303, { location: `${record.cancelUrl}${record.cancelUrl.includes('?') ? '&' : '?'}token=${id}` });
      res.end();
      return;
    }
    if (order.status === 'VOIDED') {
      return sendHtml(res, action === 'approve' ? 410 : 200, page(lang, text.expiredTitle, `<h1>${text.expiredTitle}</h1><p>${text.expiredBody}</p>`));
    }
    if (action === 'approve' || order.status === 'APPROVED' || order.status === 'COMPLETED') {
      if (order.status !== 'APPROVED' && order.status !== 'COMPLETED') approveOrder(id);
      res.writeHead(303, { location: returnUrl(record) });
      res.end();
      return;
    }
    const body = `
      <p class="brand">Pay<span>Pal</span> <small>${text.sandbox}</small></p>
      ${record.brandName ? `<p class="muted">${esc(record.brandName)}</p>` : ''}
      ${unit.description ? `<p>${esc(unit.description)}</p>` : ''}
      <p class="amount">${esc(amount)}</p>
      <p class="muted">${text.signedInAs} ${esc(BUYER.email_address)}</p>
      <form method="post" action="/checkoutnow/approve"><input type="hidden" name="token" value="${esc(id)}">
        <button type="submit">${text.pay}</button></form>
      <form method="post" action="/checkoutnow/cancel"><input type="hidden" name="token" value="${esc(id)}">
        <button type="submit" class="secondary">${text.cancel}</button></form>`;
    sendHtml(res, 200, page(lang, text.title, body));
  }

  // ---- Sandbox controls --------------------------------------------------------------------

  function sandboxControl(req: IncomingMessage, res: ServerResponse, path: string) {
    const m = path.match(/^\/__sandbox\/orders\/([^/]+)\/approve$/);
    if (req.method === 'POST' && m) {
      try {
        const { order, redirectUrl } = approveOrder(m[1]);
        return sendJson(res, 200, { order, redirect_url: redirectUrl });
      } catch (err) {
        if (err instanceof PaypalApiError) return sendJson(res, err.status, errorBody(err));
        throw err;
      }
    }
    if (req.method === 'GET' && path === '/__sandbox/events') return sendJson(res, 200, { events: sentEvents });
    sendJson(res, 404, { name: 'NOT_FOUND', message: `Unknown sandbox control ${req.method} ${path}` });
  }

  // ---- The server --------------------------------------------------------------------------

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = url.pathname;
    const done = (async () => {
      if (path.startsWith('/v1/') || path.startsWith('/v2/')) return api(req, res, path);
      if (path.startsWith('/__sandbox/')) return sandboxControl(req, res, path);
      if (req.method === 'GET' && path === '/checkoutnow') return approvalPage(req, res, url.searchParams.get('token') ?? '', 'view');
      if (req.method === 'POST' && (path === '/checkoutnow/approve' || path === '/checkoutnow/cancel')) {
        const token = new URLSearchParams(await readBody(req)).get('token') ?? '';
        return approvalPage(req, res, token, path.endsWith('approve') ? 'approve' : 'cancel');
      }
      if (req.method === 'GET' && path === '/checkoutnow/done') {
        return sendHtml(res, 200, page('en', 'Approved', `<h1>${t('en').approved}</h1>`));
      }
      sendHtml(res, 404, page('en', t('en').notFound, `<h1>${t('en').notFound}</h1>`));
    })();
    done.catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { name: 'INTERNAL_SERVER_ERROR', message: `Sandbox failure: ${String(err)}` });
      else res.destroy();
    });
  });

  // PayPal keeps request ids for hours, not forever; a day is plenty for retries.
  const pruneTimer = setInterval(
    () => {
      const cutoff = Date.now() - 24 * 3600 * 1000;
      for (const [k, v] of requestIds) if (v.at < cutoff) requestIds.delete(k);
      for (const [k, expiry] of tokens) if (expiry < Date.now()) tokens.delete(k);
    },
    60 * 60 * 1000,
  );
  pruneTimer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  return {
    name: 'paypal',
    url: baseUrl,
    faults,
    orders: () => [...orders.keys()].map((id) => findOrder(id).order),
    events: () => sentEvents,
    approve: (orderId) => {
      try {
        return approveOrder(orderId);
      } catch (err) {
        if (err instanceof PaypalApiError) throw new Error(`paypal sandbox: ${err.details[0]?.issue ?? err.errorName}`);
        throw err;
      }
    },
    revokeTokens: () => tokens.clear(),
    tokensIssued: () => issued,
    webhooksIdle: () => outbox.idle(),
    webhooks,
    close: async () => {
      clearInterval(pruneTimer);
      for (const record of orders.values()) clearTimeout(record.timer);
      outbox.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---- Money -----------------------------------------------------------------------------------

/** PayPal amounts are decimal strings ("149.00"); they are handled in minor units, never as floats. */
function toMinor(value: string, currency: string): number {
  const [whole, fraction = ''] = value.split('.');
  const digits = ZERO_DECIMAL.has(currency) ? 0 : 2;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

function money(minor: number, currency: string): PaypalMoney {
  if (ZERO_DECIMAL.has(currency)) return { currency_code: currency, value: String(minor) };
  return { currency_code: currency, value: `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, '0')}` };
}

function validMoney(raw: Partial<PaypalMoney>, field: string): PaypalMoney {
  const currency = raw.currency_code;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    throw invalidRequest(currency === undefined ? missing(`${field}/currency_code`) : syntax(`${field}/currency_code`, String(currency)));
  }
  const value = raw.value;
  if (typeof value !== 'string') throw invalidRequest(value === undefined ? missing(`${field}/value`) : syntax(`${field}/value`, String(value)));
  if (!/^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$/.test(value)) throw invalidRequest(syntax(`${field}/value`, value));
  const decimals = value.split('.')[1]?.length ?? 0;
  if (decimals > (ZERO_DECIMAL.has(currency) ? 0 : 2)) {
    throw unprocessable('DECIMAL_PRECISION', 'If the currency supports decimals, only two decimal place precision is supported.');
  }
  if (value.startsWith('-') || Number(value) === 0) throw unprocessable('CANNOT_BE_ZERO_OR_NEGATIVE', 'Must be greater than zero.');
  const minor = toMinor(value, currency);
  return money(minor, currency);
}

function errorBody(err: PaypalApiError, debugId = randomBytes(7).toString('hex').slice(0, 13)) {
  const issue = err.details[0]?.issue;
  return {
    name: err.errorName,
    message: err.message,
    debug_id: debugId,
    ...(err.details.length ? { details: err.details } : {}),
    links: [
      {
        href: `https://developer.paypal.com/docs/api/orders/v2/#error-${issue ?? err.errorName}`,
        rel: 'information_link',
        method: 'GET',
      },
    ],
  };
}

// ---- Helpers -------------------------------------------------------------------------------

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Key order must not matter when comparing a retry with the first request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

// ---- Page text and layout -----------------------------------------------------------------

type Lang = 'fr' | 'en';

/** PayPal locales are BCP 47 ("fr-FR"); without one the buyer's browser decides. */
function pageLocale(locale: string | undefined, acceptLanguage: string | undefined): Lang {
  const tag = locale ?? acceptLanguage?.trim();
  return tag?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

function t(lang: Lang) {
  return lang === 'fr'
    ? {
        title: 'Payer avec PayPal',
        sandbox: 'bac à sable',
        signedInAs: 'Connecté en tant que',
        pay: 'Payer avec PayPal',
        cancel: 'Annuler et revenir au site',
        cancelled: 'Paiement annulé',
        expiredTitle: 'Cette commande a expiré',
        expiredBody: 'Revenez sur le site du marchand pour obtenir un nouveau lien de paiement.',
        approved: 'Paiement approuvé',
        notFound: 'Commande introuvable',
      }
    : {
        title: 'Pay with PayPal',
        sandbox: 'sandbox',
        signedInAs: 'Signed in as',
        pay: 'Pay with PayPal',
        cancel: 'Cancel and return to the site',
        cancelled: 'Payment cancelled',
        expiredTitle: 'This order has expired',
        expiredBody: 'Return to the merchant’s site to get a new payment link.',
        approved: 'Payment approved',
        notFound: 'Order not found',
      };
}

function formatAmount(amount: PaypalMoney, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-US', { style: 'currency', currency: amount.currency_code }).format(Number(amount.value));
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(lang: Lang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · PayPal sandbox</title>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; background: #f5f7fa; color: #001435; }
  main { max-width: 24rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 2px 12px rgba(0,20,53,.12); text-align: center; }
  h1 { font-size: 1.25rem; }
  .brand { font-size: 1.75rem; font-weight: 800; font-style: italic; color: #003087; margin: 0 0 1rem; }
  .brand span { color: #009cde; }
  .brand small { display: block; font-size: .7rem; font-style: normal; font-weight: 600; color: #8a5a00; text-transform: uppercase; }
  .muted { color: #515354; }
  .amount { font-size: 2rem; font-weight: 600; margin: .5rem 0 1.25rem; }
  form { margin: .5rem 0; }
  button { width: 100%; padding: .75rem; border: 0; border-radius: 24px; background: #ffc439; color: #003087; font: inherit; font-weight: 700; cursor: pointer; }
  button.secondary { background: transparent; color: #0070e0; font-weight: 600; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

/** The calls that charge or refund (an order is where a charge starts), by path. */
function spendingOperation(path: string): string | undefined {
  if (path === '/v2/checkout/orders') return 'orders.create';
  if (/^\/v2\/checkout\/orders\/[^/]+\/capture$/.test(path)) return 'orders.capture';
  if (/^\/v2\/payments\/captures\/[^/]+\/refund$/.test(path)) return 'captures.refund';
  return undefined;
}
