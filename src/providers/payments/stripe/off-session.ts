// Stripe off-session charges through the official SDK: the card a Checkout payment saved (its PaymentIntent's customer
// and payment_method), PaymentIntents confirmed off-session against it, and the search for one whose answer was lost.
import Stripe from 'stripe';
import type { OffSessionCharge, OffSessionChargeRequest, OffSessionPayments, SavedMethod } from '../off-session.ts';
import { stripeError } from './client.ts';
import { fromStripeAmount, toStripeAmount } from '../../../domain/money.ts';

/** Stripe's codes that say the card refused, as opposed to a request we got wrong (docs.stripe.com/error-codes, docs.stripe.com/declines/codes). */
const CARD_REFUSALS = new Set(['card_declined', 'authentication_required', 'expired_card', 'incorrect_cvc', 'processing_error', 'insufficient_funds']);

export class StripeOffSession implements OffSessionPayments {
  constructor(
    private readonly stripe: Stripe,
    private readonly secrets: string[],
  ) {}

  async savedMethodOf(paymentRef: string): Promise<SavedMethod | undefined> {
    const pi = await this.call(() => this.stripe.paymentIntents.retrieve(paymentRef));
    const customer = typeof pi.customer === 'string' ? pi.customer : pi.customer?.id;
    const pmId = typeof pi.payment_method === 'string' ? pi.payment_method : pi.payment_method?.id;
    if (!customer || !pmId) return undefined;
    const pm = await this.call(() => this.stripe.paymentMethods.retrieve(pmId));
    // only a card is saved for renewals (client.ts: payment_method_options[card]); a SEPA Debit payment renews by link
    if (pm.type !== 'card') return undefined;
    return { customerRef: customer, paymentMethodRef: pm.id, brand: pm.card?.brand ?? 'card', last4: pm.card?.last4 ?? '' };
  }

  /**
   * "Set off_session to true to indicate that the customer isn't in your checkout flow during this payment attempt"
   * and confirm=true (docs.stripe.com/payments/save-during-payment#charge-saved-payment-method). A card refusal comes as
   * a 402 card_error carrying the PaymentIntent; authentication_required means the customer must come back on-session.
   */
  async charge(req: OffSessionChargeRequest): Promise<OffSessionCharge> {
    let pi: Stripe.PaymentIntent;
    try {
      pi = await this.stripe.paymentIntents.create(
        {
          amount: toStripeAmount(req.amountCents, req.currency),
          currency: req.currency.toLowerCase(),
          customer: req.customerRef,
          payment_method: req.paymentMethodRef,
          off_session: true,
          confirm: true,
          description: req.description,
          metadata: { orderId: req.orderId, renewalAttempt: req.attemptId },
        },
        { idempotencyKey: req.idempotencyKey },
      );
    } catch (err) {
      // the card refused: an answer, not a failure (a retry with the same key replays it)
      if (err instanceof Stripe.errors.StripeCardError && CARD_REFUSALS.has(err.code ?? 'card_declined')) {
        return { state: 'declined', code: err.code ?? 'card_declined', declineCode: err.decline_code, paymentRef: err.payment_intent?.id };
      }
      throw stripeError(err, this.secrets);
    }
    return outcomeOf(pi);
  }

  async findCharge(customerRef: string, attemptId: string): Promise<OffSessionCharge | undefined> {
    const list = await this.call(() => this.stripe.paymentIntents.list({ customer: customerRef, limit: 100 }));
    const pi =
      list.data.find((p) => p.metadata?.renewalAttempt === attemptId && p.status === 'succeeded') ??
      list.data.find((p) => p.metadata?.renewalAttempt === attemptId);
    return pi ? outcomeOf(pi) : undefined;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw stripeError(err, this.secrets);
    }
  }
}

function outcomeOf(pi: Stripe.PaymentIntent): OffSessionCharge {
  if (pi.status === 'succeeded')
    return {
      state: 'succeeded',
      paymentRef: pi.id,
      amountCents: fromStripeAmount(pi.amount_received || pi.amount, pi.currency),
      currency: pi.currency.toUpperCase(),
    };
  const code = pi.last_payment_error?.code ?? (pi.status === 'requires_action' ? 'authentication_required' : 'card_declined');
  return { state: 'declined', code, declineCode: pi.last_payment_error?.decline_code, paymentRef: pi.id };
}
