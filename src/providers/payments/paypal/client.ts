// PayPal Orders v2 through a small typed REST client: approval links, capture, refunds, and webhook verification.
import { AppError, ProviderError } from '../../../errors.ts';
import { fromDecimal, toDecimal } from '../../../domain/money.ts';
import { type ErrorMapping, type HttpClientOptions, type ProviderAnswer, ProviderHttp, readJson } from '../../http.ts';
import type { PaymentLink, PaymentLinkRequest, PaymentProvider, PaymentStatus, Refund } from '../index.ts';
import { PaypalOffSession, vaultAttributes } from './vault.ts';

/** timeoutMs: per request, default 20 s */
export interface PaypalPaymentsOptions extends HttpClientOptions {
  /** https://api-m.paypal.com, https://api-m.sandbox.paypal.com, or the local sandbox */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** the id PayPal gave the webhook registration; verification is tied to it */
  webhookId: string;
  /** how long PayPal leaves an order open for approval (3 hours unless PayPal changed it for the account) */
  approvalWindowMs?: number;
  /** the account is approved for PayPal's vault (PAYPAL_VAULT): first orders may save the payer's PayPal for renewals */
  vault?: boolean;
}

interface Money {
  currency_code: string;
  value: string;
}

interface Link {
  href: string;
  rel: string;
  method?: string;
}

export interface Capture {
  id: string;
  status: 'COMPLETED' | 'PENDING' | 'DECLINED' | 'PARTIALLY_REFUNDED' | 'REFUNDED' | 'FAILED';
  amount: Money;
}

export interface Order {
  id: string;
  status: 'CREATED' | 'SAVED' | 'APPROVED' | 'VOIDED' | 'COMPLETED' | 'PAYER_ACTION_REQUIRED';
  links?: Link[];
  purchase_units?: { reference_id?: string; custom_id?: string; amount?: Money; payments?: { captures?: Capture[] } }[];
}

interface RefundResponse {
  id: string;
  status: 'CANCELLED' | 'FAILED' | 'PENDING' | 'COMPLETED';
}

/** PayPal's error answer (developer.paypal.com/api/rest/responses: name, message, debug_id, details[].issue). */
interface PaypalErrorBody {
  name?: string;
  message?: string;
  debug_id?: string;
  details?: { issue?: string; description?: string }[];
  /** the OAuth endpoints answer in OAuth's words */
  error?: string;
  error_description?: string;
}

/** A PayPal webhook as delivered (and confirmed genuine by verify-webhook-signature). */
export interface PaypalWebhookEvent {
  id: string;
  event_type: string;
  resource_type: string;
  resource: Record<string, unknown>;
  create_time: string;
  summary?: string;
  event_version?: string;
  resource_version?: string;
}

const WEBHOOK_HEADERS = {
  transmission_id: 'paypal-transmission-id',
  transmission_time: 'paypal-transmission-time',
  transmission_sig: 'paypal-transmission-sig',
  cert_url: 'paypal-cert-url',
  auth_algo: 'paypal-auth-algo',
} as const;

export class PaypalPayments implements PaymentProvider {
  readonly name = 'paypal' as const;
  private readonly baseUrl: string;
  private readonly http: ProviderHttp;
  private token?: { value: string; refreshAt: number };
  private tokenRequest?: Promise<string>;
  /** renewals charged with the payer's saved PayPal; absent unless the account is approved for the vault */
  readonly offSession?: PaypalOffSession;
  private readonly vault: PaypalOffSession;

  constructor(private readonly opts: PaypalPaymentsOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/$/, '');
    const errorBody = (answer: ProviderAnswer) => readJson(answer.text) as PaypalErrorBody | undefined;
    this.http = new ProviderHttp('paypal', opts, {
      defaultTimeoutMs: 20_000,
      secrets: () => [opts.clientSecret, this.token?.value],
      dialect: {
        networkCode: 'network_error',
        message: (answer) => paypalMessage(answer.status, errorBody(answer)),
        refine: (answer, base) => refinePaypal(answer.status, errorBody(answer), base),
        rateLimitWait: () => 1_000,
      },
    });
    this.vault = new PaypalOffSession((method, path, body, requestId) => this.request(method, path, body, requestId));
    if (opts.vault) this.offSession = this.vault;
  }

  /** A token saved while the vault was on is deleted even once PAYPAL_VAULT is off: the consent is withdrawn either way. */
  forgetSavedMethod(paymentMethodRef: string): Promise<void> {
    return this.vault.forget(paymentMethodRef);
  }

  /**
   * An order for the payer to approve. With the customer's consent to renewals and the vault on, it also asks PayPal to
   * save their PayPal at the capture; an account PayPal has not enabled for that (422 NOT_ENABLED_TO_VAULT_PAYMENT_SOURCE)
   * still gets its order, without the vault, under a key of its own (the body differs), and renews by link.
   */
  async createPaymentLink(req: PaymentLinkRequest): Promise<PaymentLink> {
    const vault = !!(req.saveForRenewal && this.opts.vault);
    let order: Order;
    try {
      // the vault in the key: PAYPAL_VAULT changed between two tries of one link makes another body, so another key
      order = await this.createOrder(req, vault, vault ? `${req.idempotencyKey}:vault` : req.idempotencyKey);
    } catch (err) {
      if (!(vault && err instanceof ProviderError && err.code === 'not_enabled_to_vault_payment_source')) throw err;
      this.opts.logger?.warn(
        { event: 'paypal_vault_refused', orderId: req.orderId },
        'PayPal refused to vault for this account: PAYPAL_VAULT needs PayPal’s approval',
      );
      order = await this.createOrder(req, false, `${req.idempotencyKey}:without-vault`);
    }
    const link = order.links?.find((l) => l.rel === 'payer-action' || l.rel === 'approve');
    if (!link) throw new ProviderError('paypal', 'order_without_approval_link', `Order ${order.id} has no approve link`, false);
    // PayPal voids unapproved orders on its own clock; the link dies at whichever comes first
    const expiresAt = new Date(Math.min(req.expiresAt.getTime(), Date.now() + (this.opts.approvalWindowMs ?? 3 * 3600 * 1000)));
    return { provider: 'paypal', providerRef: order.id, url: link.href, expiresAt };
  }

  private createOrder(req: PaymentLinkRequest, vault: boolean, requestId: string): Promise<Order> {
    const currency = req.currency.toUpperCase();
    return this.request<Order>(
      'POST',
      '/v2/checkout/orders',
      {
        intent: 'CAPTURE',
        purchase_units: [
          {
            reference_id: req.orderId,
            custom_id: req.orderId,
            description: req.description.slice(0, 127),
            amount: { currency_code: currency, value: formatAmount(req.amountCents, currency) },
          },
        ],
        payment_source: {
          paypal: {
            email_address: req.customerEmail,
            experience_context: {
              return_url: req.successUrl,
              cancel_url: req.cancelUrl,
              locale: req.locale === 'fr' ? 'fr-FR' : 'en-US',
              user_action: 'PAY_NOW',
              shipping_preference: 'NO_SHIPPING',
            },
            ...(vault ? { attributes: vaultAttributes(req) } : {}),
          },
        },
      },
      requestId,
    );
  }

  async getPaymentStatus(providerRef: string): Promise<PaymentStatus> {
    const order = await this.request<Order>('GET', `/v2/checkout/orders/${encodeURIComponent(providerRef)}`);
    return statusOf(order);
  }

  /** Takes the money of an approved order. Capturing twice is harmless: an already captured order reads as paid. */
  async capture(providerRef: string, idempotencyKey: string): Promise<PaymentStatus> {
    try {
      const order = await this.request<Order>('POST', `/v2/checkout/orders/${encodeURIComponent(providerRef)}/capture`, {}, idempotencyKey);
      return statusOf(order);
    } catch (err) {
      if (err instanceof ProviderError && err.code === 'order_already_captured') return this.getPaymentStatus(providerRef);
      throw err;
    }
  }

  async refund(input: { paymentRef: string; amountCents: number; currency: string; idempotencyKey: string; reason?: string }): Promise<Refund> {
    const path = `/v2/payments/captures/${encodeURIComponent(input.paymentRef)}`;
    // the refund's amount needs the capture's currency, which only the capture knows
    const capture = await this.request<Capture>('GET', path);
    const currency = capture.amount.currency_code;
    // `reason` stays with us: PayPal's note_to_payer is shown to the buyer, and buyer-facing text comes from our templates
    const refund = await this.request<RefundResponse>(
      'POST',
      `${path}/refund`,
      { amount: { currency_code: currency, value: formatAmount(input.amountCents, currency) } },
      input.idempotencyKey,
    );
    const state: Refund['state'] = refund.status === 'COMPLETED' ? 'succeeded' : refund.status === 'PENDING' ? 'pending' : 'failed';
    return { refundId: refund.id, state };
  }

  /**
   * Asks PayPal whether a webhook delivery is genuine (POST /v1/notifications/verify-webhook-signature) and returns the
   * event. Throws AppError `webhook_signature_missing` (no PAYPAL-* headers) or `webhook_signature_invalid` (status 400);
   * a PayPal outage surfaces as a retryable ProviderError, so the route can answer 5xx and PayPal will retry.
   */
  async verifyWebhook(headers: Record<string, string | string[] | undefined>, rawBody: string | Buffer): Promise<PaypalWebhookEvent> {
    const lower: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = Array.isArray(v) ? v[0] : v;
    const fields = Object.fromEntries(Object.entries(WEBHOOK_HEADERS).map(([field, name]) => [field, lower[name]]));
    if (Object.values(fields).some((v) => !v)) throw new AppError('webhook_signature_missing', 400, { provider: 'paypal' });
    // No age limit on transmission_time: PayPal redelivers a failed webhook up to 25 times over 3 days and promises no
    // fresh transmission on a redelivery, so PayPal's own verification decides; a replay is stopped by the event id
    // (webhook_events is unique per provider and event), as Stripe's are.

    const raw = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
    let event: PaypalWebhookEvent;
    try {
      event = JSON.parse(raw) as PaypalWebhookEvent;
    } catch {
      throw new AppError('webhook_signature_invalid', 400, { provider: 'paypal' }, { reason: 'body is not JSON' });
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw new AppError('webhook_signature_invalid', 400, { provider: 'paypal' }, { reason: 'body is not a JSON object' });
    }
    // The event goes back byte for byte: PayPal checks a CRC32 of it, and a re-serialized copy may not match.
    const body = `{${Object.entries({ ...fields, webhook_id: this.opts.webhookId })
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
      .join(',')},"webhook_event":${raw}}`;
    const answer = await this.request<{ verification_status?: string }>('POST', '/v1/notifications/verify-webhook-signature', body);
    if (answer.verification_status !== 'SUCCESS') {
      throw new AppError('webhook_signature_invalid', 400, { provider: 'paypal' }, { reason: `verification_status ${answer.verification_status}` });
    }
    return event;
  }

  /** The app's webhooks (Webhooks Management API v1: GET /v1/notifications/webhooks); `npm run doctor` looks for ours. A read. */
  async listWebhooks(): Promise<{ id: string; url: string; eventTypes: string[] }[]> {
    const list = await this.request<{ webhooks?: { id: string; url: string; event_types?: { name: string }[] }[] }>('GET', '/v1/notifications/webhooks');
    return (list.webhooks ?? []).map((w) => ({ id: w.id, url: w.url, eventTypes: (w.event_types ?? []).map((t) => t.name) }));
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  /** One authenticated call. A 401 means the cached token died early (revoked, clock skew): fetch a new one, once. */
  private async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, requestId?: string, retried = false): Promise<T> {
    const token = await this.accessToken();
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      // without it PayPal answers with a minimal body (id, status, links) and captures would have to be read again
      prefer: 'return=representation',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (requestId) headers['paypal-request-id'] = requestId;
    const payload = typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body);
    const call = { method, url: `${this.baseUrl}${path}`, operation: `${method} ${path}`, headers, body: payload };
    try {
      if (method !== 'DELETE') return await this.http.json<T>(call);
      // a delete answers 204 and no body
      const answer = await this.http.send(call);
      if (!answer.ok) throw this.http.failure(answer);
      return undefined as T;
    } catch (err) {
      if (!(err instanceof ProviderError && err.status === 401) || retried) throw err;
      this.token = undefined;
      return this.request<T>(method, path, body, requestId, true);
    }
  }

  private accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.refreshAt) return Promise.resolve(this.token.value);
    // concurrent callers share one token request
    this.tokenRequest ??= this.fetchToken().finally(() => {
      this.tokenRequest = undefined;
    });
    return this.tokenRequest;
  }

  private async fetchToken(): Promise<string> {
    const basic = Buffer.from(`${this.opts.clientId}:${this.opts.clientSecret}`).toString('base64');
    const answer = await this.http.send({
      method: 'POST',
      url: `${this.baseUrl}/v1/oauth2/token`,
      operation: 'POST /v1/oauth2/token',
      headers: { authorization: `Basic ${basic}`, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    if (answer.status === 401) throw new ProviderError('paypal', 'authentication_failed', 'PayPal refused the client id or secret', false, undefined, 401);
    if (!answer.ok) throw this.http.failure(answer);
    const { access_token, expires_in } = (readJson(answer.text) ?? {}) as { access_token?: string; expires_in?: number };
    if (!access_token || !expires_in) throw new ProviderError('paypal', 'malformed_token', 'PayPal answered without an access token', true);
    // refresh a little before PayPal's expiry so no call goes out with a token about to die
    const margin = Math.min(5 * 60_000, (expires_in * 1000) / 10);
    this.token = { value: access_token, refreshAt: Date.now() + expires_in * 1000 - margin };
    return access_token;
  }
}

function statusOf(order: Order): PaymentStatus {
  if (order.status === 'VOIDED') return { state: 'expired' };
  if (order.status !== 'COMPLETED') return { state: 'open' };
  const capture = order.purchase_units?.[0]?.payments?.captures?.[0];
  if (!capture || capture.status === 'PENDING') return { state: 'open' };
  // a declined capture ends the order: nothing was paid and this link can never be paid
  if (capture.status === 'DECLINED' || capture.status === 'FAILED') return { state: 'expired' };
  const currency = capture.amount.currency_code;
  return { state: 'paid', paymentRef: capture.id, amountCents: parseAmount(capture.amount.value, currency), currency };
}

/**
 * PayPal's error words over the shared mapping: the first detail's issue (lower-cased) is the code of a refused request
 * and of a 408; 401 is `authentication_failed`; a 404 is `not_found` unless its issue says more.
 */
function refinePaypal(status: number, body: PaypalErrorBody | undefined, base: ErrorMapping): Partial<ErrorMapping> | undefined {
  const issue = (body?.details?.[0]?.issue ?? body?.name ?? body?.error)?.toLowerCase();
  if (base.code === 'rate_limited' || status >= 500) return undefined;
  if (status === 408) return { code: issue ?? 'server_error' };
  if (status === 401) return { code: 'authentication_failed' };
  if (status === 404 && (!issue || issue === 'invalid_resource_id' || issue === 'resource_not_found')) return { code: 'not_found' };
  return { code: issue ?? `http_${status}` };
}

/** PayPal's own words for a failure: the first detail's description (or the message), and the debug_id its support asks for. */
function paypalMessage(status: number, body: PaypalErrorBody | undefined): string {
  return [body?.details?.[0]?.description ?? body?.message ?? body?.error_description ?? `HTTP ${status}`, body?.debug_id && `(debug_id ${body.debug_id})`]
    .filter(Boolean)
    .join(' ');
}

/** Integer minor units → PayPal's decimal string, exactly (src/domain/money.ts): 14900 EUR → "149.00", 1500 JPY → "1500". */
export function formatAmount(minor: number, currency: string): string {
  const value = minor > 0 ? toDecimal(minor, currency) : undefined;
  if (value === undefined) throw new ProviderError('paypal', 'invalid_amount', `amount must be a positive integer of minor units, got ${minor}`, false);
  return value;
}

/** PayPal's decimal string → integer minor units, without going through a float. */
export function parseAmount(value: string, currency: string): number {
  const minor = fromDecimal(value, currency);
  if (minor === undefined) throw new ProviderError('paypal', 'malformed_amount', `unexpected amount "${value}" ${currency}`, false);
  return minor;
}
