// Renewals charge a payment method the customer saved at their first payment, without them present (off-session).
// Stripe: the first Checkout saves the card to a Customer; later PaymentIntents charge it. PayPal (PAYPAL_VAULT on): the
// first order saves the payer's PayPal in its vault; later orders name the token (vault_id). Without a saved method a
// renewal is paid by a link sent by email (the same Checkout/Orders link as a first payment).

export interface SavedMethod {
  /** the provider's customer (Stripe cus_..., PayPal's customer id) and payment method (pm_..., PayPal's payment token) */
  customerRef: string;
  paymentMethodRef: string;
  /** for display only: "visa", "4242"; "paypal" and the payer's email, masked (src/domain/payment-method.ts) */
  brand: string;
  last4?: string;
  payerEmail?: string;
}

export type OffSessionCharge =
  | { state: 'succeeded'; paymentRef: string; amountCents: number; currency: string }
  /**
   * the card refused (card_declined with its decline_code, authentication_required, expired_card, ...) or PayPal's
   * refusal (instrument_declined, ...); methodGone: the saved method no longer exists (a deleted PayPal token)
   */
  | { state: 'declined'; code: string; declineCode?: string; paymentRef?: string; methodGone?: boolean };

export interface OffSessionChargeRequest {
  customerRef: string;
  paymentMethodRef: string;
  amountCents: number;
  currency: string;
  description: string;
  /** the renewal attempt: found again by it when an answer was lost past the idempotency key's life */
  attemptId: string;
  orderId: string;
  /** derived from the renewal attempt (order and registration year): a retry never charges twice */
  idempotencyKey: string;
}

export interface OffSessionPayments {
  /** the method the payment `paymentRef` saved for later (Checkout with setup_future_usage), if it saved one */
  savedMethodOf(paymentRef: string): Promise<SavedMethod | undefined>;
  charge(req: OffSessionChargeRequest): Promise<OffSessionCharge>;
  /** the charge made for `attemptId` on this customer, if one was made (succeeded or declined) */
  findCharge(customerRef: string, attemptId: string): Promise<OffSessionCharge | undefined>;
}
