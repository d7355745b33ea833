// The Stripe sandbox's saved payment methods: Customers, card PaymentMethods attached to them (saved by a Checkout
// Session paid by card whose card setup_future_usage is set), and PaymentIntents confirmed off-session against them.
// Invariants: a PaymentMethod belongs to one Customer; an off-session charge either succeeds whole or is refused with the
// card's decline and leaves a `requires_payment_method` PaymentIntent; nothing is charged twice for one idempotency key
// (requests.ts replays the saved answer, declines included).
import { amountProblem } from './currencies.ts';
import type { Router } from '../http/router.ts';
import { integerParam, invalid, missingParam, noSuch, randomId, StripeApiError, stringRecord, unknownParams, type Params } from './api.ts';
import type { PaymentIntentRecord } from './objects.ts';
import type { StripeRoute } from './routes.ts';
import type { EventRequest, StripeAccount } from './state.ts';
import { now } from './state.ts';

/**
 * Stripe's test cards (docs.stripe.com/testing) as the sandbox treats them:
 * - 4242 4242 4242 4242: every payment succeeds, on-session and off-session.
 * - 4000 0025 0000 3155: asks for authentication on-session (the hosted page passes it); once saved with
 *   setup_future_usage=off_session, off-session payments succeed ("no further authentication is needed").
 * - 4000 0027 6000 3184: "requires authentication on all transactions, regardless of how the card is set up": an
 *   off-session payment is refused with authentication_required.
 * - 4000 0000 0000 9995: always declined, decline_code insufficient_funds.
 * - 4000 0000 0000 0341: "Attaching this card to a Customer object succeeds, but attempts to charge the customer fail":
 *   card_declined. The sandbox lets the first on-session payment through and refuses every off-session one, so a
 *   renewal can be declined (the card expired or was blocked between the two).
 */
export const OFF_SESSION_CARDS: Record<string, { brand: string; decline?: { code: string; decline_code: string; message: string } }> = {
  '4242424242424242': { brand: 'visa' },
  '4000002500003155': { brand: 'visa' },
  '4000002760003184': {
    brand: 'visa',
    decline: {
      code: 'authentication_required',
      decline_code: 'authentication_required',
      message: 'Your card was declined. This transaction requires authentication.',
    },
  },
  '4000000000009995': { brand: 'visa', decline: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' } },
  '4000000000000341': { brand: 'visa', decline: { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' } },
};
export const DEFAULT_CARD = '4242424242424242';

interface Customer {
  id: string;
  object: 'customer';
  created: number;
  email: string | null;
  metadata: Record<string, string>;
  livemode: false;
}

interface PaymentMethod {
  id: string;
  object: 'payment_method';
  type: 'card' | 'sepa_debit';
  created: number;
  customer: string | null;
  card?: { brand: string; last4: string; exp_month: number; exp_year: number; country: string; funding: 'credit' };
  /** a SEPA Debit method saved with its mandate (docs.stripe.com/api/payment_methods/object#payment_method_object-sepa_debit) */
  sepa_debit?: { last4: string; country: string; bank_code: string };
  livemode: false;
  /** the test card's number or IBAN, never shown by the API */
  number: string;
}

/** POST /v1/payment_intents parameters (docs.stripe.com/api/payment_intents/create). */
const INTENT_PARAMS = new Set([
  'amount',
  'currency',
  'customer',
  'payment_method',
  'off_session',
  'confirm',
  'metadata',
  'description',
  'payment_method_types',
  'error_on_requires_action',
  'statement_descriptor',
  'receipt_email',
  'expand',
  'setup_future_usage',
  'capture_method',
]);
const CUSTOMER_PARAMS = new Set(['email', 'name', 'metadata', 'description', 'expand']);

export class StripeVault {
  private readonly customers = new Map<string, Customer>();
  private readonly methods = new Map<string, PaymentMethod>();

  createCustomer(email: string | null, metadata: Record<string, string> = {}): Customer {
    const c: Customer = { id: randomId('cus_', 14), object: 'customer', created: now(), email, metadata, livemode: false };
    this.customers.set(c.id, c);
    return c;
  }

  customer(id: string): Customer {
    return this.customers.get(id) ?? raise(noSuch('customer', id));
  }

  /** A card saved for later (Checkout with setup_future_usage): attached to `customer`. */
  saveCard(customer: string, number: string): PaymentMethod {
    const pm: PaymentMethod = {
      id: randomId('pm_', 24),
      object: 'payment_method',
      type: 'card',
      created: now(),
      customer,
      card: {
        brand: OFF_SESSION_CARDS[number]?.brand ?? 'visa',
        last4: number.slice(-4),
        exp_month: 12,
        exp_year: new Date().getUTCFullYear() + 3,
        country: 'FR',
        funding: 'credit',
      },
      livemode: false,
      number,
    };
    this.methods.set(pm.id, pm);
    return pm;
  }

  /** A SEPA Debit account saved for later (Checkout with payment_intent_data[setup_future_usage]): attached to `customer`. */
  saveSepaDebit(customer: string, iban: string): PaymentMethod {
    const pm: PaymentMethod = {
      id: randomId('pm_', 24),
      object: 'payment_method',
      type: 'sepa_debit',
      created: now(),
      customer,
      sepa_debit: { last4: iban.slice(-4), country: iban.slice(0, 2), bank_code: iban.slice(4, 12) },
      livemode: false,
      number: iban,
    };
    this.methods.set(pm.id, pm);
    return pm;
  }

  method(id: string): PaymentMethod {
    return this.methods.get(id) ?? raise(noSuch('payment_method', id));
  }

  /** Sandbox knob: the saved card is now another test card (a renewal that will be declined, a card replaced). */
  swapCard(pmId: string, number: string): void {
    const pm = this.method(pmId);
    if (!pm.card) throw invalid(`${pmId} is not a card.`, 'payment_method_invalid_parameter');
    pm.number = number;
    pm.card.last4 = number.slice(-4);
  }

  methodsOf(customer: string): PaymentMethod[] {
    return [...this.methods.values()].filter((m) => m.customer === customer);
  }
}

/** The wire shape of a PaymentMethod: its test card number stays inside the sandbox. */
const methodObject = ({ number: _n, ...pm }: PaymentMethod) => pm;

const list = <T>(url: string, data: T[]) => ({ object: 'list', url, has_more: false, data });

/** The routes of Customers, PaymentMethods and off-session PaymentIntents, added to the API's router (routes.ts). */
export function vaultRoutes(router: Router<StripeRoute>, account: StripeAccount): Router<StripeRoute> {
  const vault = account.vault;
  return (
    router
      // Create a customer (docs.stripe.com/api/customers/create)
      .add('POST', '/v1/customers', {
        run: ({ body }) => {
          unknownParams(body, CUSTOMER_PARAMS);
          return vault.createCustomer(typeof body.email === 'string' ? body.email : null, stringRecord(body.metadata, 'metadata'));
        },
      })
      // Retrieve a customer (docs.stripe.com/api/customers/retrieve)
      .add('GET', '/v1/customers/{id}', { run: ({ params }) => vault.customer(params.id) })
      // List a customer's PaymentMethods (docs.stripe.com/api/payment_methods/customer_list)
      .add('GET', '/v1/customers/{id}/payment_methods', {
        run: ({ params }) => list(`/v1/customers/${params.id}/payment_methods`, vault.methodsOf(vault.customer(params.id).id).map(methodObject)),
      })
      // Retrieve a PaymentMethod (docs.stripe.com/api/payment_methods/retrieve)
      .add('GET', '/v1/payment_methods/{id}', { run: ({ params }) => methodObject(vault.method(params.id)) })
      // List PaymentIntents, filtered by customer (docs.stripe.com/api/payment_intents/list)
      .add('GET', '/v1/payment_intents', {
        run: ({ body }) => {
          const customer = typeof body.customer === 'string' ? body.customer : undefined;
          const found = account.paymentIntentList().filter((pi) => !customer || pi.customer === customer);
          return list(
            '/v1/payment_intents',
            found.map((pi) => account.paymentIntentObjectOf(pi)),
          );
        },
      })
      // Create a PaymentIntent (docs.stripe.com/api/payment_intents/create), here confirmed at once off-session
      .add('POST', '/v1/payment_intents', { spends: 'payment_intents.create', run: ({ body, request }) => createIntent(account, body, request) })
  );
}

/**
 * What POST /v1/payment_intents checks for an off-session charge of a saved card, in the API's order. A decline answers
 * HTTP 402 with a card_error carrying the code, the decline_code and the PaymentIntent left in requires_payment_method
 * (docs.stripe.com/error-codes; docs.stripe.com/payments/save-and-reuse: "if the payment fails … the PaymentIntent's
 * status is requires_payment_method"); it is saved for replays like any answer of a request that ran.
 */
function createIntent(account: StripeAccount, p: Params, request: EventRequest) {
  unknownParams(p, INTENT_PARAMS);
  const amount = integerParam(p.amount, 'amount', 1);
  if (typeof p.currency !== 'string' || !/^[a-z]{3}$/i.test(p.currency)) throw missingParam('currency');
  const currency = p.currency.toLowerCase();
  const problem = amountProblem(amount, currency);
  if (problem) throw invalid(problem.message, problem.code, 'amount');
  const confirm = p.confirm === 'true';
  // "off_session: Set to true to indicate that the customer isn't in your checkout flow … can only be used with confirm=true"
  if (p.off_session !== undefined && !confirm)
    throw invalid('You can only pass `off_session` when `confirm` is true.', 'parameter_invalid_empty', 'off_session');
  if (!confirm || p.off_session !== 'true')
    throw invalid('The sandbox only models PaymentIntents confirmed off-session (confirm=true, off_session=true).', 'parameter_invalid_string', 'confirm');
  if (typeof p.payment_method !== 'string') throw missingParam('payment_method');
  const customerId = typeof p.customer === 'string' ? p.customer : undefined;
  if (!customerId)
    throw invalid('A PaymentMethod attached to a Customer can only be used with that Customer: pass `customer`.', 'parameter_missing', 'customer');
  account.vault.customer(customerId);
  const pm = account.vault.method(p.payment_method);
  if (pm.customer !== customerId) {
    throw invalid(`The provided PaymentMethod ${pm.id} does not belong to the Customer ${customerId}.`, 'payment_method_invalid_parameter', 'payment_method');
  }
  if (pm.type !== 'card') throw invalid('The sandbox models off-session card payments only.', 'payment_method_invalid_parameter', 'payment_method');
  const pi: PaymentIntentRecord = {
    id: randomId('pi_', 24),
    chargeId: randomId('ch_', 24),
    amount,
    currency,
    amountRefunded: 0,
    metadata: stringRecord(p.metadata, 'metadata'),
    created: now(),
    customer: customerId,
    paymentMethod: pm.id,
    paymentMethodType: 'card',
    status: 'succeeded',
  };
  const decline = OFF_SESSION_CARDS[pm.number]?.decline;
  if (decline) {
    pi.status = 'requires_payment_method';
    account.addPaymentIntent(pi, 'payment_intent.payment_failed', request);
    const body = {
      type: 'card_error' as const,
      code: decline.code,
      decline_code: decline.decline_code,
      message: decline.message,
      payment_intent: account.paymentIntentObjectOf(pi),
    };
    throw new StripeApiError(402, body, true);
  }
  pi.succeededAt = Date.now();
  account.addPaymentIntent(pi, 'payment_intent.succeeded', request);
  return account.paymentIntentObjectOf(pi);
}

function raise(err: StripeApiError): never {
  throw err;
}
