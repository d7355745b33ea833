// The demo's year after delivery (POST /api/test/concierge/demo, scenarios renewal and renewal_declined): the order's
// registration moved to 30 days before expiry, then the scan: reminder, off-session charge, registrar renewal, all in
// its timeline. Declined: the saved card refuses (Stripe's 4000 0000 0000 0341), or the saved PayPal's payer becomes the
// sandbox's declining test payer (PAYPAL_VAULT on), dunning sends a link, the customer pays it, the domain is renewed.
import type { Deps } from '../../deps.ts';
import type { SandboxWorld } from '../../sandbox/world.ts';
import { moveExpiry } from './clock.ts';
import { runRenewalScan } from './scan.ts';
import { DECLINING_PAYER } from '../../sandbox/paypal/vault.ts';

/** Stripe's test card that attaches but whose charges fail (docs.stripe.com/testing). */
const DECLINING_CARD = '4000000000000341';

async function until<T>(fn: () => Promise<T | undefined>, deadline: number): Promise<T | undefined> {
  while (Date.now() < deadline) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}

/** Runs the year after delivery for a delivered order; resolves when renewed, or when `deadline` (ms) passes. */
export async function demoRenewal(deps: Deps, sandbox: SandboxWorld, orderId: string, declined: boolean, deadline: number): Promise<void> {
  const plan = () => deps.db.selectFrom('renewals').selectAll().where('order_id', '=', orderId).executeTakeFirst();
  const attempt = () => deps.db.selectFrom('renewal_attempts').selectAll().where('order_id', '=', orderId).orderBy('created_at', 'desc').executeTakeFirst();
  // the card the first payment saved (its own job, just after delivery)
  const saved = await until(async () => ((await plan())?.payment_method_ref ? plan() : undefined), deadline);
  if (!saved) return;
  const paypal = saved.provider === 'paypal';
  if (declined && paypal) sandbox.paypal.vault.swapPayer(saved.payment_method_ref!, DECLINING_PAYER.email_address);
  else if (declined) sandbox.stripe.vault.swapCard(saved.payment_method_ref!, DECLINING_CARD);
  // 30 days before expiry less a minute: the 30-day reminder and the charge are due
  await moveExpiry(deps, sandbox.registry, orderId, 30 - 1 / 1440);
  await runRenewalScan(deps);
  if (declined) {
    const link = await until(async () => {
      const a = await attempt();
      return a?.state === 'declined' && a.link_ref ? a.link_ref : undefined;
    }, deadline);
    if (!link) return;
    // the customer opens the emailed link and pays with another card, or approves the PayPal order
    if (paypal) sandbox.paypal.approve(link);
    else sandbox.stripe.pay(link);
  }
  await until(async () => ((await attempt())?.state === 'renewed' ? true : undefined), deadline);
}
