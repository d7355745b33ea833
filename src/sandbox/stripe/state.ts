// The Stripe sandbox's account: its Checkout Sessions, the PaymentIntents their payments made, refunds, and the events
// each change emits. Invariants: a session goes open → complete or open → expired, never back; an open session is never
// seen past its expires_at; a charge is never refunded beyond its amount; an event carries a snapshot of its object.
import Stripe from 'stripe';
import { Deadline } from '../clock.ts';
import { Ledger } from '../ledger.ts';
import { invalid, noSuch, randomId } from './api.ts';
import {
  chargeObject,
  openSession,
  type CheckoutSession,
  type SessionFields,
  type PaymentIntentRecord,
  type Refund,
  type SentEvent,
  type StripeEvent,
} from './objects.ts';

const API_VERSION: string = Stripe.API_VERSION;

/** What a valid POST /v1/checkout/sessions asks for (routes.ts checks it): the session's fields, and what its payment carries. */
export interface SessionInput {
  fields: SessionFields;
  /** what the hosted page shows: the line items' names */
  productName: string;
  /** payment_intent_data[metadata], copied onto the PaymentIntent made at payment */
  paymentIntentMetadata: Record<string, string>;
}

interface SessionRecord {
  session: CheckoutSession;
  productName: string;
  paymentIntentMetadata: Record<string, string>;
  expiry?: Deadline;
  /** a delayed payment's settlement, when the bank answers */
  settlement?: Deadline;
}

/**
 * Payment methods whose outcome is known only later ("delayed notification payment methods": SEPA Direct Debit takes
 * about 5 business days, docs.stripe.com/payments/sepa-debit/accept-a-payment); Checkout completes the session unpaid,
 * then sends checkout.session.async_payment_succeeded or checkout.session.async_payment_failed
 * (docs.stripe.com/payments/checkout/fulfill-orders, "delayed notification payment methods").
 */
export const DELAYED_METHODS = new Set(['sepa_debit', 'bacs_debit', 'au_becs_debit', 'us_bank_account', 'sofort', 'boleto']);

/** How a payment is made on the hosted page or by the sandbox's control: its method and, for a delayed one, its outcome. */
export interface PaymentChoice {
  email?: string;
  /** a method among the session's payment_method_types; card by default */
  method?: string;
  /** a delayed method's outcome once the bank answers */
  outcome?: 'succeeded' | 'failed';
}

export type EventRequest = StripeEvent['request'];

export const now = () => Math.floor(Date.now() / 1000);

export class StripeAccount {
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly paymentIntents = new Map<string, PaymentIntentRecord>();
  private readonly refunds = new Map<string, Refund>();
  /** every event and its delivery attempts, oldest first */
  readonly events: SentEvent[] = [];
  /** every refund request that reached a charge (routes.ts), done or refused */
  readonly ledger = new Ledger();

  constructor(
    private readonly o: {
      /** base of the hosted page URLs handed to customers */
      publicBase: () => string;
      /** sends an event to the account's webhook endpoints */
      deliver: (event: StripeEvent) => void;
      /** how long a delayed payment stays processing (ms), drawn per payment */
      settleMs: () => number;
    },
  ) {}

  emit(type: string, object: object, request: EventRequest = { id: null, idempotency_key: null }): StripeEvent {
    const event: StripeEvent = {
      id: randomId('evt_', 24),
      object: 'event',
      api_version: API_VERSION,
      created: now(),
      // a snapshot: later changes to the object must not leak into an event already sent
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request,
      type,
    };
    this.events.push({ event, attempts: [] });
    this.o.deliver(event);
    return event;
  }

  event(id: string): StripeEvent | undefined {
    return this.events.find((e) => e.event.id === id)?.event;
  }

  // ---- Checkout Sessions -------------------------------------------------------------------

  createSession(input: SessionInput): CheckoutSession {
    const id = randomId('cs_test_', 58);
    const session = openSession({ ...input.fields, id, url: `${this.o.publicBase()}/c/pay/${id}` });
    const record: SessionRecord = { session, productName: input.productName, paymentIntentMetadata: input.paymentIntentMetadata };
    this.sessions.set(id, record);
    record.expiry = new Deadline(session.expires_at * 1000, () => this.expireIfDue(id));
    return session;
  }

  sessionList(): CheckoutSession[] {
    return [...this.sessions.keys()].map((id) => this.session(id));
  }

  /** Expiry happens on a timer, but every read checks too so the API never shows an open session past its expires_at. */
  session(id: string): CheckoutSession {
    this.expireIfDue(id);
    const record = this.sessions.get(id);
    if (!record) throw noSuch('checkout.session', id, 'session');
    return record.session;
  }

  productName(id: string): string {
    return this.sessions.get(id)?.productName ?? '';
  }

  /**
   * Pays an open session (a complete one is returned unchanged): a PaymentIntent and its charge, then
   * checkout.session.completed. A card pays at once (payment_status paid); a delayed method completes the session
   * unpaid, its PaymentIntent processing, and settles later with checkout.session.async_payment_succeeded (paid) or
   * checkout.session.async_payment_failed (the PaymentIntent back to requires_payment_method).
   */
  pay(id: string, choice: PaymentChoice = {}): CheckoutSession {
    const session = this.session(id);
    if (session.status === 'complete') return session;
    if (session.status === 'expired') throw invalid('This Checkout Session is no longer active.', 'checkout_session_expired', undefined, true);
    const method = choice.method ?? 'card';
    if (!session.payment_method_types.includes(method)) {
      throw invalid(`The payment method type "${method}" is not among this Checkout Session's payment_method_types.`, 'payment_method_invalid_parameter');
    }
    const delayed = DELAYED_METHODS.has(method);
    const record = this.sessions.get(id)!;
    const pi: PaymentIntentRecord = {
      id: randomId('pi_', 24),
      chargeId: randomId('ch_', 24),
      status: delayed ? 'processing' : 'succeeded',
      succeededAt: delayed ? undefined : Date.now(),
      paymentMethodType: method,
      amount: session.amount_total,
      currency: session.currency,
      amountRefunded: 0,
      metadata: record.paymentIntentMetadata,
      created: now(),
    };
    this.paymentIntents.set(pi.id, pi);
    record.expiry?.cancel();
    session.status = 'complete';
    session.payment_status = delayed ? 'unpaid' : 'paid';
    session.payment_intent = pi.id;
    session.url = null;
    session.customer_details = {
      email: session.customer_email ?? choice.email ?? 'customer@sandbox.example',
      name: null,
      phone: null,
      tax_exempt: 'none',
      tax_ids: [],
    };
    this.emit('checkout.session.completed', session);
    if (delayed) record.settlement = new Deadline(Date.now() + this.o.settleMs(), () => this.settle(id, choice.outcome ?? 'succeeded'));
    return session;
  }

  /** A delayed payment's outcome arrives from the bank. */
  private settle(id: string, outcome: 'succeeded' | 'failed'): void {
    const record = this.sessions.get(id);
    const pi = record?.session.payment_intent ? this.paymentIntents.get(record.session.payment_intent) : undefined;
    if (!record || pi?.status !== 'processing') return;
    if (outcome === 'succeeded') {
      pi.status = 'succeeded';
      pi.succeededAt = Date.now();
      record.session.payment_status = 'paid';
      this.emit('checkout.session.async_payment_succeeded', record.session);
    } else {
      pi.status = 'requires_payment_method';
      this.emit('checkout.session.async_payment_failed', record.session);
    }
  }

  /** An open session expires (on its timer or by the expire endpoint): no payment can complete it afterwards. */
  expire(id: string, request?: EventRequest): CheckoutSession {
    const record = this.sessions.get(id)!;
    record.expiry?.cancel();
    record.session.status = 'expired';
    record.session.url = null;
    this.emit('checkout.session.expired', record.session, request);
    return record.session;
  }

  private expireIfDue(id: string): void {
    const record = this.sessions.get(id);
    if (record?.session.status !== 'open' || record.session.expires_at * 1000 > Date.now()) return;
    this.expire(id);
  }

  // ---- Payment intents, charges, refunds ---------------------------------------------------

  paymentIntent(id: string): PaymentIntentRecord | undefined {
    return this.paymentIntents.get(id);
  }

  paymentIntentOfCharge(chargeId: string): PaymentIntentRecord | undefined {
    return [...this.paymentIntents.values()].find((x) => x.chargeId === chargeId);
  }

  refund(id: string): Refund | undefined {
    return this.refunds.get(id);
  }

  /** Refunds `amount` of the charge (the caller checked it is no more than what remains), then charge.refunded. */
  createRefund(pi: PaymentIntentRecord, amount: number, details: { metadata: Record<string, string>; reason: string | null }, request: EventRequest): Refund {
    if (amount < 1 || amount > pi.amount - pi.amountRefunded) throw new Error(`stripe sandbox: refund of ${amount} on ${pi.id} breaks the charge's amount`);
    pi.amountRefunded += amount;
    const refund: Refund = {
      id: randomId('re_', 24),
      object: 'refund',
      amount,
      balance_transaction: randomId('txn_', 24),
      charge: pi.chargeId,
      created: now(),
      currency: pi.currency,
      metadata: details.metadata,
      payment_intent: pi.id,
      reason: details.reason,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    };
    this.refunds.set(refund.id, refund);
    this.emit('charge.refunded', chargeObject(pi), request);
    return refund;
  }

  close(): void {
    for (const record of this.sessions.values()) {
      record.expiry?.cancel();
      record.settlement?.cancel();
    }
  }
}
