// A delivered order's yearly renewal as the customer's side of the API shows it, and the auto-renewal switch.
import { z } from 'zod';
import { instant } from './common.ts';

export const RENEWAL_STATES = ['pending', 'scheduled', 'charging', 'paid', 'dunning', 'grace', 'lost', 'gone'] as const;

/** A saved payment method as shown: a card's brand and last digits, or PayPal and the payer's email masked; never a reference. */
export const savedPaymentMethod = z.object({
  brand: z.string().describe('the card brand ("visa"), or "paypal"'),
  last4: z.string().optional().describe('a card’s last 4 digits'),
  payerEmail: z.string().optional().describe('a PayPal account’s email, masked ("c•••x@example.org")'),
});

export const renewalSummary = z.object({
  state: z
    .enum(RENEWAL_STATES)
    .describe(
      'pending (not delivered yet), scheduled, charging, paid (renewing at the registrar), dunning (declined: a payment link is out), grace (expired unpaid: notice page, still payable), lost (hosting removed), gone (left us)',
    ),
  autoRenew: z.boolean().describe('the saved payment method is charged before expiry; off, the site stays until expiry'),
  expiresAt: instant.nullable().describe('the registration’s expiry'),
  date: instant.nullable().describe('when the saved method will be charged (auto-renewal on and scheduled)'),
  price: z.object({ amountCents: z.number().int(), currency: z.string() }).nullable().describe('next year’s price: the domain’s renewal and the service'),
  savedPaymentMethod: savedPaymentMethod.nullable().describe('for display only'),
});

export const autoRenewBody = z.object({ on: z.boolean().describe('true turns automatic renewal on (the consent is recorded anew), false off') });
