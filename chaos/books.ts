// The providers' own books (src/sandbox/ledger.ts) against the run's orders: the purchase requests that reached the
// registrar for each name, the refund requests that reached Stripe or PayPal for each payment, the sites the host made
// for each order. A purchase request for a name our account already bought, or a second refund request for one payment,
// is a double the app asked for even when the provider refused it (the provider caught it): counted. Requests for a
// name a third party holds are all refused and buy nothing; each one after a killed worker or a lost answer is the
// app asking again what it never heard, so they are not doubles.
import { distinctRequests, type LedgerEntry } from '../src/sandbox/ledger.ts';
import type { SandboxWorld } from '../src/sandbox/world.ts';

interface OrderRef {
  id: string;
  domain: string;
}

export interface Books {
  /** names for which a purchase request reached the registrar after one of its requests bought it */
  purchasedTwice: string[];
  /** payments for which more than one refund request (by idempotency key) reached the provider */
  refundedTwice: string[];
  /** orders for which the host made more than one site, deleted ones included */
  sitesTwice: string[];
  /** requests that reached each provider in all */
  purchaseRequests: number;
  refundRequests: number;
  sitesMade: number;
}

/** A site's name carries its order: siteNameFor makes `<label>-<first 8 hex of the order id>`. */
export function orderOfSite<T extends OrderRef>(orders: T[], name: string): T | undefined {
  return orders.find((o) => name.endsWith(`-${o.id.replace(/-/g, '').slice(0, 8)}`));
}

const outcomes = (list: LedgerEntry[]) => list.map((e) => `${e.outcome} at ${e.at.slice(11, 23)}`).join(', ');

export function readBooks(world: SandboxWorld, orders: OrderRef[]): Books {
  const purchases = world.namecheap.account.ledger.byTarget('domains.create');
  // the live registrar takes no idempotency key: every create that reached it is a purchase request of its own, and
  // any after the one that bought the name is a double (refused with "not available", or a second charge)
  const purchasedTwice = [...purchases]
    .filter(([, list]) => list.findIndex((e) => e.outcome === 'done') !== -1 && list.findIndex((e) => e.outcome === 'done') < list.length - 1)
    .map(([name, list]) => `${name}: ${list.length} purchase requests (${outcomes(list)})`);

  const refunds = [...world.stripe.ledger.byTarget('refunds.create'), ...world.paypal.ledger.byTarget('captures.refund')];
  const refundedTwice = refunds
    .filter(([, list]) => distinctRequests(list) > 1)
    .map(([payment, list]) => `${payment}: ${distinctRequests(list)} refund requests (${outcomes(list)})`);

  const made = world.netlify.ledger.entries.filter((e) => e.operation === 'createSite' && e.outcome === 'done');
  const byOrder = new Map<string, string[]>();
  for (const e of made) {
    const owner = orderOfSite(orders, e.target)?.id ?? `(no order) ${e.target}`;
    (byOrder.get(owner) ?? byOrder.set(owner, []).get(owner)!).push(e.target);
  }
  const sitesTwice = [...byOrder].filter(([, names]) => names.length > 1).map(([order, names]) => `${order}: ${names.length} sites made (${names.join(', ')})`);

  return {
    purchasedTwice,
    refundedTwice,
    sitesTwice,
    purchaseRequests: [...purchases.values()].reduce((n, l) => n + l.length, 0),
    refundRequests: refunds.reduce((n, [, l]) => n + distinctRequests(l), 0),
    sitesMade: made.length,
  };
}
