// Payments: a hosted payment link for an order (Stripe Checkout or PayPal Orders v2), its status, refunds.
import type { Locale } from '../../domain/locale.ts';
import type { OffSessionPayments } from './off-session.ts';

export type PaymentProviderName = 'stripe' | 'paypal';

export interface PaymentLinkRequest {
  orderId: string;
  amountCents: number;
  currency: string;
  /** what the customer sees on the payment page */
  description: string;
  customerEmail: string;
  locale: Locale;
  successUrl: string;
  cancelUrl: string;
  expiresAt: Date;
  /** derived from the order (and the link's sequence number): a retry never creates a second link */
  idempotencyKey: string;
  /** save the method paid with for the yearly renewal, the customer agreeing to `consentText` (shown on the payment page) */
  saveForRenewal?: { consentText: string };
  /** carried on the session and its payment (a renewal's attempt id) */
  metadata?: Record<string, string>;
}

export interface PaymentLink {
  provider: PaymentProviderName;
  /** Stripe Checkout Session id (cs_...) or PayPal order id */
  providerRef: string;
  url: string;
  expiresAt: Date;
}

/**
 * A link's payment as the provider sees it. `processing`: paid by a delayed method (SEPA Debit) whose money has not
 * arrived yet; `failed`: such a payment that did not go through (the link cannot be paid again).
 */
export type PaymentStatus =
  | { state: 'open' }
  | { state: 'processing' }
  | { state: 'failed' }
  | { state: 'paid'; paymentRef: string; amountCents: number; currency: string }
  | { state: 'expired' };

export interface Refund {
  refundId: string;
  state: 'pending' | 'succeeded' | 'failed';
}

export interface PaymentProvider {
  readonly name: PaymentProviderName;
  createPaymentLink(req: PaymentLinkRequest): Promise<PaymentLink>;
  getPaymentStatus(providerRef: string): Promise<PaymentStatus>;
  /** PayPal: capture an approved order (Stripe Checkout captures on its own) */
  capture?(providerRef: string, idempotencyKey: string): Promise<PaymentStatus>;
  /** expire an open link so it can no longer be paid (used when a fresh link replaces it) */
  expire?(providerRef: string): Promise<void>;
  refund(input: { paymentRef: string; amountCents: number; currency: string; idempotencyKey: string; reason?: string }): Promise<Refund>;
  /** charges of a saved payment method without the customer (renewals); absent: renewals are paid by link */
  readonly offSession?: OffSessionPayments;
  /**
   * deletes a saved method at the provider when the customer withdraws their consent (PayPal's vault token; a Stripe
   * card stays on its Customer, unused); one already gone is no error. Works whether or not offSession is on.
   */
  forgetSavedMethod?(paymentMethodRef: string): Promise<void>;
}
