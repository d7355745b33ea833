// Stripe Checkout through the official SDK: payment links, their status, expiry, refunds, and the webhook signature check.
import Stripe from 'stripe';
import { AppError, ProviderError } from '../../../errors.ts';
import { type ErrorMapping, parseRetryAfter, redact, statusError } from '../../http.ts';
import type { PaymentLink, PaymentLinkRequest, PaymentProvider, PaymentStatus, Refund } from '../index.ts';
import { StripeOffSession } from './off-session.ts';
import { fromStripeAmount, toStripeAmount } from '../../../domain/money.ts';

export interface StripePaymentsOptions {
  secretKey: string;
  /** point the SDK at another API host (the sandbox); unset means api.stripe.com */
  apiHost?: { host: string; port: number; protocol: 'http' | 'https' };
  /** per request, including the SDK's own retries of that request */
  timeoutMs?: number;
  /** retries the SDK makes itself (connection errors, 409, 5xx), each with the same idempotency key */
  maxNetworkRetries?: number;
  /** the payment methods Checkout offers (STRIPE_PAYMENT_METHODS); `card` when unset */
  paymentMethods?: string[];
}

export class StripePayments implements PaymentProvider {
  readonly name = 'stripe' as const;
  private readonly stripe: Stripe;
  private readonly secretKey: string;
  private readonly paymentMethods: string[];
  readonly offSession: StripeOffSession;

  constructor(opts: StripePaymentsOptions) {
    this.secretKey = opts.secretKey;
    this.paymentMethods = opts.paymentMethods?.length ? opts.paymentMethods : ['card'];
    this.stripe = new Stripe(opts.secretKey, {
      ...(opts.apiHost ?? {}),
      timeout: opts.timeoutMs ?? 20_000,
      maxNetworkRetries: opts.maxNetworkRetries ?? 2,
      appInfo: { name: 'conciergerie' },
    });
    this.offSession = new StripeOffSession(this.stripe, [opts.secretKey]);
  }

  async createPaymentLink(req: PaymentLinkRequest): Promise<PaymentLink> {
    const session = await this.call(() =>
      this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            {
              price_data: {
                currency: req.currency.toLowerCase(),
                unit_amount: toStripeAmount(req.amountCents, req.currency),
                product_data: { name: req.description },
              },
              quantity: 1,
            },
          ],
          customer_email: req.customerEmail,
          // explicit: otherwise Checkout offers whatever the account enables (dynamic payment methods), delayed ones included;
          // the SDK's SessionCreateParams names the filter allowed_payment_method_types
          allowed_payment_method_types: this.paymentMethods as Stripe.Checkout.SessionCreateParams.AllowedPaymentMethodType[],
          client_reference_id: req.orderId,
          metadata: { ...req.metadata, orderId: req.orderId },
          // the refund side only sees the PaymentIntent; the order id there makes it traceable in the dashboard
          payment_intent_data: { metadata: { ...req.metadata, orderId: req.orderId } },
          ...this.cardSaving(req),
          success_url: req.successUrl,
          cancel_url: req.cancelUrl,
          // part of the idempotent request: a retry must send the same expiresAt, or Stripe refuses the reused key
          expires_at: Math.floor(req.expiresAt.getTime() / 1000),
          locale: req.locale,
        },
        { idempotencyKey: req.idempotencyKey },
      ),
    );
    if (!session.url) throw new ProviderError('stripe', 'session_without_url', `Checkout Session ${session.id} has no url`, false);
    return {
      provider: 'stripe',
      providerRef: session.id,
      url: session.url,
      // Stripe's expires_at, not ours: the sandbox may shorten it and Stripe rounds to the second
      expiresAt: new Date(session.expires_at * 1000),
    };
  }

  /**
   * Auto-renewal saves the card only: payment_method_options[card][setup_future_usage] applies to card payments alone
   * (docs.stripe.com/api/checkout/sessions/create; docs.stripe.com/payments/checkout/save-during-payment), so a SEPA
   * Debit payment saves no mandate and its renewal is paid by a link, as with PayPal. The consent the customer gives for
   * later charges is shown above the pay button (custom_text.submit, 1,200 characters at most).
   */
  private cardSaving(req: PaymentLinkRequest): Pick<Stripe.Checkout.SessionCreateParams, 'payment_method_options' | 'custom_text'> {
    if (!req.saveForRenewal || !this.paymentMethods.includes('card')) return {};
    return {
      payment_method_options: { card: { setup_future_usage: 'off_session' } },
      custom_text: { submit: { message: req.saveForRenewal.consentText.slice(0, 1200) } },
    };
  }

  /**
   * The session's payment_status (`paid`, `unpaid`, `no_payment_required`) with its status: a `complete` session that is
   * `unpaid` was paid by a delayed method, never an open one; its PaymentIntent (expanded) says whether the money is
   * still on its way (`processing`) or the payment failed (`requires_payment_method`, `canceled`).
   */
  async getPaymentStatus(providerRef: string): Promise<PaymentStatus> {
    const session = await this.call(() => this.stripe.checkout.sessions.retrieve(providerRef, { expand: ['payment_intent'] }));
    const pi = session.payment_intent;
    if (session.payment_status === 'paid') {
      const paymentRef = typeof pi === 'string' ? pi : pi?.id;
      if (!paymentRef) throw new ProviderError('stripe', 'paid_without_payment_intent', `Session ${session.id} is paid but has no payment_intent`, true);
      const currency = (session.currency ?? '').toUpperCase();
      return { state: 'paid', paymentRef, amountCents: fromStripeAmount(session.amount_total ?? 0, currency), currency };
    }
    if (session.status === 'expired') return { state: 'expired' };
    if (session.status === 'complete') {
      const status = typeof pi === 'object' && pi ? pi.status : undefined;
      return status === 'requires_payment_method' || status === 'canceled' ? { state: 'failed' } : { state: 'processing' };
    }
    return { state: 'open' };
  }

  async expire(providerRef: string): Promise<void> {
    try {
      await this.call(() => this.stripe.checkout.sessions.expire(providerRef));
    } catch (err) {
      if (!(err instanceof ProviderError) || err.status !== 400) throw err;
      // Stripe refuses to expire a session that is no longer open; what matters is why.
      const status = await this.getPaymentStatus(providerRef);
      if (status.state === 'expired') return;
      if (status.state === 'paid') {
        throw new ProviderError('stripe', 'already_paid', `Checkout Session ${providerRef} was paid before it could be expired`, false, undefined, 400);
      }
      throw err;
    }
  }

  async refund(input: { paymentRef: string; amountCents: number; currency: string; idempotencyKey: string; reason?: string }): Promise<Refund> {
    const refund = await this.call(() =>
      this.stripe.refunds.create(
        {
          payment_intent: input.paymentRef,
          amount: toStripeAmount(input.amountCents, input.currency),
          // our reasons are free text; Stripe's `reason` is an enum, so ours goes to metadata
          ...(input.reason ? { metadata: { reason: input.reason.slice(0, 500) } } : {}),
        },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    const state: Refund['state'] =
      refund.status === 'succeeded' ? 'succeeded' : refund.status === 'failed' || refund.status === 'canceled' ? 'failed' : 'pending';
    return { refundId: refund.id, state };
  }

  /** The account's webhook endpoints, every page (`npm run doctor` looks for ours); a read, never a change. */
  async listWebhookEndpoints(): Promise<{ id: string; url: string; status: string; enabledEvents: string[] }[]> {
    return this.call(async () => {
      const endpoints: { id: string; url: string; status: string; enabledEvents: string[] }[] = [];
      for await (const ep of this.stripe.webhookEndpoints.list({ limit: 100 })) {
        endpoints.push({ id: ep.id, url: ep.url, status: ep.status, enabledEvents: ep.enabled_events });
      }
      return endpoints;
    });
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw stripeError(err, [this.secretKey]);
    }
  }
}

/**
 * Stripe's errors as ProviderError, through the shared status mapping: retryable when the same call may succeed later
 * (no connection, 409 and lock_timeout, 429, 5xx); a refused request keeps Stripe's own code (resource_missing, ...).
 * `secrets` never show in the message.
 */
export function stripeError(err: unknown, secrets: string[] = []): ProviderError {
  if (err instanceof ProviderError) return err;
  if (!(err instanceof Stripe.errors.StripeError)) {
    return new ProviderError('stripe', 'unexpected', redact(err instanceof Error ? err.message : String(err), secrets), false);
  }
  if (err instanceof Stripe.errors.StripeConnectionError) {
    const timedOut = (err.detail as { code?: string } | undefined)?.code === 'ETIMEDOUT' || /timeout/i.test(err.message);
    return new ProviderError('stripe', timedOut ? 'timeout' : 'network_error', redact(err.message, secrets), true);
  }
  const rateLimited = err.statusCode === 429 || err instanceof Stripe.errors.StripeRateLimitError;
  // no status at all is a failure on Stripe's side
  const status = rateLimited ? 429 : (err.statusCode ?? 500);
  const retryAfter = err.headers?.['retry-after'];
  return statusError('stripe', status, redact(err.message || (rateLimited ? 'Too many requests' : `HTTP ${status}`), secrets), {
    retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
    rateLimitWaitMs: 1_000,
    refine: (base) => refineStripe(err, base),
  });
}

/** Stripe's words over the shared mapping, from the SDK's error classes and Stripe's error code. */
function refineStripe(err: Stripe.errors.StripeError, base: ErrorMapping): Partial<ErrorMapping> | undefined {
  if (base.code === 'rate_limited') return undefined;
  if (err.code === 'lock_timeout' || err.statusCode === 409) return { code: err.code ?? 'conflict', retryable: true };
  if (base.retryable || err instanceof Stripe.errors.StripeAPIError) return { code: err.code ?? 'server_error', retryable: true };
  if (err instanceof Stripe.errors.StripeIdempotencyError) return { code: 'idempotency_key_reused' };
  if (err instanceof Stripe.errors.StripeAuthenticationError) return { code: 'authentication_failed' };
  if (err instanceof Stripe.errors.StripePermissionError) return { code: 'permission_denied' };
  if (err instanceof Stripe.errors.StripeCardError) return { code: err.code ?? 'card_declined' };
  return { code: err.code ?? 'invalid_request' };
}

/**
 * Checks a webhook the way Stripe documents it: HMAC-SHA256 of `${t}.${rawBody}` with the endpoint's whsec_ secret,
 * and a timestamp no older than `toleranceSeconds` (a replayed old delivery is refused). Pass the raw body, never a
 * re-serialized one. Throws AppError `webhook_signature_missing` or `webhook_signature_invalid` (status 400).
 */
export function verifyStripeWebhook(rawBody: string | Buffer, signatureHeader: string | undefined, secret: string, toleranceSeconds = 300): Stripe.Event {
  if (!signatureHeader) throw new AppError('webhook_signature_missing', 400, { provider: 'stripe' });
  try {
    return Stripe.webhooks.constructEvent(rawBody, signatureHeader, secret, toleranceSeconds);
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError || err instanceof SyntaxError) {
      throw new AppError('webhook_signature_invalid', 400, { provider: 'stripe' }, { reason: (err as Error).message.split('\n')[0] });
    }
    throw err;
  }
}
