// What the PayPal adapter tests share: a payment link request (each with its own order id and key) and a PayPal
// sandbox on loopback whose webhooks go nowhere unless asked.
import type { PaymentLinkRequest } from '../../src/providers/payments/index.ts';
import { FaultInjector } from '../../src/sandbox/faults.ts';
import { startPaypalServer, type PaypalSandboxOptions } from '../../src/sandbox/paypal/server.ts';

export const CLIENT_ID = 'sandbox-client-id';
export const CLIENT_SECRET = 'sandbox-client-secret';

let seq = 0;
export function linkRequest(overrides: Partial<PaymentLinkRequest> = {}): PaymentLinkRequest {
  seq++;
  return {
    orderId: `ord_${seq}`,
    amountCents: 14900,
    currency: 'EUR',
    description: 'Site vitrine sur boulangerie-dupont.fr',
    customerEmail: 'camille@example.org',
    locale: 'fr',
    successUrl: 'http://shop.test/paid',
    cancelUrl: 'http://shop.test/cancel',
    expiresAt: new Date(Date.now() + 24 * 3600_000),
    idempotencyKey: `payment-link:ord_${seq}:1`,
    ...overrides,
  };
}

export const startSandbox = (webhookId: string, more: Partial<PaypalSandboxOptions> = {}) =>
  startPaypalServer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, webhookId, webhookUrl: () => undefined, faults: new FaultInjector(), ...more });
