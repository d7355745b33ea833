// The order's states and the only transitions allowed between them.

export const ORDER_STATES = [
  'awaiting_payment',
  'payment_expired',
  'paid',
  'registering_domain',
  'domain_unavailable',
  'creating_site',
  'deploying',
  'configuring_dns',
  'securing',
  'verifying',
  'delivered',
  'refunding',
  'refunded',
  'cancelled',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

const transitions: Record<OrderState, readonly OrderState[]> = {
  awaiting_payment: ['paid', 'payment_expired', 'cancelled'],
  // a payment that completes after the link expired still counts: the money is real
  payment_expired: ['awaiting_payment', 'paid', 'cancelled'],
  // cancelled once paid: a consumer's withdrawal stops the work (src/billing/refunds.ts)
  paid: ['registering_domain', 'refunding', 'cancelled'],
  registering_domain: ['creating_site', 'domain_unavailable', 'refunding', 'cancelled'],
  domain_unavailable: ['registering_domain', 'refunding', 'cancelled'],
  creating_site: ['deploying', 'refunding', 'cancelled'],
  deploying: ['configuring_dns', 'refunding', 'cancelled'],
  configuring_dns: ['securing', 'refunding', 'cancelled'],
  securing: ['verifying', 'refunding', 'cancelled'],
  verifying: ['delivered', 'refunding', 'cancelled'],
  delivered: [],
  refunding: ['refunded'],
  refunded: [],
  cancelled: [],
};

/** States in which the pipeline works on the order (paid, not yet delivered, not failing). */
export const WORKING_STATES: OrderState[] = ['paid', 'registering_domain', 'creating_site', 'deploying', 'configuring_dns', 'securing', 'verifying'];

/** A tracking token as we issue them (at least 128 random bits, base64url); anything else is not looked up. */
export function isTrackingToken(t: string): boolean {
  return /^[A-Za-z0-9_-]{32,64}$/.test(t);
}

export function canTransition(from: OrderState, to: OrderState): boolean {
  return transitions[from]?.includes(to) ?? false;
}

export function isFinal(state: OrderState): boolean {
  return transitions[state].length === 0;
}

/** States in which the customer has not paid yet. */
export function isUnpaid(state: OrderState): boolean {
  return state === 'awaiting_payment' || state === 'payment_expired';
}

/** The states from which the rules allow moving to `to` (what a single SQL statement checks the order's state against). */
export function statesInto(to: OrderState): OrderState[] {
  return ORDER_STATES.filter((from) => canTransition(from, to));
}
