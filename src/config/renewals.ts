// Settings of yearly renewals: when the renewal is charged, what it costs on top of the domain, how dunning and the
// grace period run, and how often the daily scan looks.
import { z } from 'zod';
import { group, int } from './parse.ts';

const days = (def: number, max: number) => z.coerce.number().positive().max(max).default(def);

export const renewals = group(
  'Renewals',
  'Every delivered domain renews yearly: reminders 60, 30 and 7 days before expiry and on the day (ICANN’s Expired Registration Recovery Policy asks for about a month and a week before), the saved payment method charged off-session, the registrar renewing once, dunning by payment link after a decline, a notice page during the grace period, then the hosting removed.',
  {
    RENEWAL_CHARGE_DAYS_BEFORE: days(30, 90).describe('the renewal is charged this many days before the registration expires'),
    RENEWAL_SERVICE_CENTS: int(4900).describe('the service’s yearly renewal fee in cents, on top of the domain’s renewal price'),
    RENEWAL_DUNNING_SPACING_DAYS: days(3, 30).describe('after a declined renewal, a fresh payment link is emailed this often until paid or lost'),
    RENEWAL_GRACE_DAYS: days(30, 60).describe(
      'after expiry the site shows a notice page and the renewal stays payable this long (the registrar’s grace period); then the hosting is removed',
    ),
    RENEWAL_REDEMPTION_AFTER_DAYS: days(30, 60).describe(
      'the registrar renews an expired name at its regular rate this long (Namecheap: about 30 days, knowledgebase 9916/2207); a renewal paid later restores it from redemption, at the registrar’s reactivation price (users.getPricing REACTIVATE), shown before payment',
    ),
    RENEWAL_SCAN_SECONDS: z.coerce.number().int().min(1).default(3600).describe('how often the renewal scan runs (one job for all workers; it is idempotent)'),
    RENEWAL_CONSENT_VERSION: z.string().min(1).default('2026-12').describe('the version of the auto-renewal consent text the customer agreed to'),
  },
);
