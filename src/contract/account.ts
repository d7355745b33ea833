// What the customer's space takes and answers: sign-in by a one-time link, the session, every order of the address,
// and the domain's DNS records and email forwarding.
import { z } from 'zod';
import { DNS_RECORD_TYPES, MX_PRIORITY_MAX, TTL_MAX, TTL_MIN } from '../domain/dns-records.ts';
import { ORDER_STATES } from '../domain/order-state.ts';
import { instant, locale, oneOf } from './common.ts';
import { holder, storedHolder } from './holder.ts';
import { savedPaymentMethod } from './renewals.ts';

export { DNS_RECORD_TYPES, TTL_DEFAULT, TTL_MAX, TTL_MIN, TXT_MAX } from '../domain/dns-records.ts';

/** The same address check as an order's (src/contract/orders.ts): one address, no display name, no control characters. */
const email = z.string().trim().max(254).pipe(z.email()).describe('the address the orders were placed with (any case)');

export const signInRequest = z.strictObject({
  email,
  lang: locale.optional().describe('the language of the email when the address has no order to say it (it then gets none)'),
});
export const signInAccepted = z.object({
  accepted: z.literal(true).describe('always: whether the address is known is not told; a link goes to a known one'),
});

/** The link's token, as the page read it from `?signin=`. */
export const sessionRequest = z.strictObject({ token: z.string().min(1).max(200) });
export const sessionOpened = z.object({
  csrfToken: z.string().describe('send it as `x-csrf-token` with every POST and DELETE under /api/account'),
  email: z.string(),
  expiresAt: instant,
});

/** The session as the page finds it on load (GET /api/account/session), so it can send changes. */
export const sessionState = sessionOpened;

const money = z.object({ cents: z.number().int(), currency: z.string() });

/** A transfer out: asked for from the space, completed when the name leaves our registrar account. */
export const transferOut = z.object({
  state: z
    .enum(['requested', 'completed'])
    .describe('requested: unlocked, the transfer code on its way to the holder; completed: the domain left our registrar'),
  lock: z
    .enum(['removed', 'none'])
    .nullable()
    .describe('removed: the registrar lock was taken off; none: the extension has no registrar lock (.fr, .eu, .de, .co.uk); null: never asked'),
  requestedAt: instant.nullable(),
  completedAt: instant.nullable(),
  codeSentTo: z
    .string()
    .nullable()
    .describe('the holder’s (registrant’s) email, where Namecheap sends the transfer code: its API returns none, it sends the code from its dashboard'),
});

export const ACCOUNT_RENEWAL_STATES = ['scheduled', 'off', 'charging', 'charged', 'dunning', 'grace', 'expired', 'transferred'] as const;

export const accountRenewal = z.object({
  state: z
    .enum(ACCOUNT_RENEWAL_STATES)
    .describe(
      'scheduled (automatic, charged on `date`), off (not charged: the site stays until expiry), charging, charged (paid, renewing at the registrar), dunning (the charge was declined: a payment link is out), grace (expired unpaid: notice page, still payable), expired (not renewed: hosting removed), transferred (left us)',
    ),
  autoRenew: z.boolean(),
  expiresAt: instant.describe('the registration’s expiry'),
  date: instant.describe('the day the saved method is charged while automatic renewal is on and scheduled; otherwise the expiry'),
  price: money
    .nullable()
    .describe(
      'next year’s price with VAT, as its invoice will tax it (the domain’s renewal and the service); while a renewal is under way, the amount its payment asks',
    ),
  vat: z.object({ cents: z.number().int(), rateBp: z.number().int() }).nullable().describe('the VAT in that price and its rate (basis points)'),
  redemption: z
    .boolean()
    .describe(
      'past the registrar’s grace period: the name is restored from redemption, and `price` is that restore’s (a year included), dearer than a renewal',
    ),
});

export const accountOrder = z.object({
  id: z.string().describe('the order’s id (POST /api/account/orders/{id}/auto-renew)'),
  domain: z.string().describe('ASCII (punycode)'),
  domainUnicode: z.string(),
  businessName: z.string(),
  state: oneOf(ORDER_STATES),
  createdAt: instant,
  deliveredAt: instant.nullable(),
  siteUrl: z.string().nullable().describe('https://<domain>/ once delivered'),
  trackingUrl: z.string().describe('the tracking page (the same link the emails carry)'),
  editorUrl: z.string().nullable().describe('the site editor, for an order that has one'),
  registrationExpiresAt: instant
    .nullable()
    .describe('the registrar’s expiry date, as monitoring last read it (else as the renewal plan has it); null before either knows it'),
  uptime30d: z.number().nullable().describe('share of the last 30 days (since delivery, if later) the site was up, from its incidents; null before delivery'),
  openIncident: z.object({ startedAt: instant, lastError: z.string().nullable() }).nullable().describe('the site is down now'),
  dnsManaged: z.boolean().describe('its DNS records and email forwarding can be managed here (a delivered site)'),
  holder: z
    .object({ name: z.string().nullable(), organization: z.string().nullable() })
    .nullable()
    .describe('the domain’s holder (registrant) as the order gave it, by name only; null when the order has none (or it was erased)'),
  renewal: accountRenewal.nullable().describe('the yearly renewal; null before delivery'),
  savedPaymentMethod: savedPaymentMethod
    .nullable()
    .describe(
      'the method saved for the renewal: a card’s brand and last 4 digits, or PayPal and the payer’s email masked (PAYPAL_VAULT); null when none is saved (renewed by an emailed link)',
    ),
  invoices: z.array(z.object({ number: z.string(), issuedAt: instant, totalCents: z.number().int(), url: z.string() })).describe('empty until invoices exist'),
  transfer: transferOut.nullable().describe('the transfer to another registrar, once asked for (or once the domain left); null otherwise'),
  transferableFrom: instant
    .nullable()
    .describe(
      'a managed domain not yet asked to leave: from when it may change registrar (ICANN’s 60 days after registration or a change of registrant, for a gTLD); null: now, or not applicable',
    ),
});
export const accountOverview = z.object({
  email: z.string(),
  orders: z.array(accountOrder).describe('every order of the address, newest first'),
});

export const orderParam = z.object({ id: z.string().min(1).max(64) });
export const accountAutoRenewBody = z.strictObject({
  on: z.boolean().describe('true: charged automatically before expiry (the consent is recorded anew); false: nothing charged, the site stays until expiry'),
});
export const autoRenewChanged = z.object({
  renewal: accountRenewal.describe('the renewal as it now stands'),
  savedPaymentMethod: savedPaymentMethod.nullable(),
});

export const domainParam = z.object({ domain: z.string().min(1).max(253) });
export const recordParams = domainParam.extend({ id: z.string().min(1).max(64) });

export const dnsRecord = z.object({
  id: z.string().describe('stable across reads: a digest of type, host, value and priority (the registrar’s HostId changes at every write)'),
  type: z.string().describe('A, AAAA, CNAME, MX, TXT; other types the registrar holds (URL redirects, …) are listed and kept, not editable'),
  host: z.string().describe('@ for the domain itself'),
  value: z.string(),
  ttl: z.number().int(),
  priority: z.number().int().optional().describe('MX only'),
  protected: z.boolean().describe('serves the site (apex A, www CNAME) or is not a type managed here: it cannot be removed'),
});
export const dnsRecords = z.object({
  records: z.array(dnsRecord),
  mail: z.enum(['none', 'mx', 'forwarding', 'other']).describe('where the domain’s email goes: its MX records, the registrar’s forwarding, or nowhere'),
});

export const dnsRecordInput = z.strictObject({
  type: z.enum(DNS_RECORD_TYPES),
  host: z.string().max(253).describe('@, a subdomain (www, _dmarc, selector._domainkey) or the full name'),
  value: z.string().max(2100).describe('A: IPv4; AAAA: IPv6; CNAME, MX: a host name; TXT: the text (enclosing quotes are taken off)'),
  ttl: z.number().int().min(TTL_MIN).max(TTL_MAX).optional().describe(`seconds, ${TTL_MIN} to ${TTL_MAX} (Namecheap’s bounds); 1800 by default`),
  priority: z.number().int().min(0).max(MX_PRIORITY_MAX).optional().describe('MX only: 0 to 65535, 10 by default'),
});

export const dnsChanged = dnsRecords.extend({
  record: dnsRecord.optional().describe('the record added'),
  propagated: z.boolean().describe('the domain’s DNS servers already answer the change (else it will within the TTL)'),
});

export const forwardingInput = z.strictObject({
  mailbox: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/)
    .default('contact')
    .describe('the part before @: contact@<domain> by default'),
});
export const forwardingParams = domainParam.extend({ mailbox: z.string().min(1).max(64) });
export const emailForwarding = z.object({
  forwards: z.array(z.object({ mailbox: z.string(), forwardTo: z.string() })),
  active: z.boolean().describe('the domain’s email goes to the registrar’s forwarding'),
});

/** The same holder's new contact data: the holder fields of an order (src/contract/holder.ts), checked the same way. */
export const holderUpdate = z.strictObject({ holder });
export const holderState = z.object({ holder: storedHolder.nullable().describe('null for an order placed without one') });
export const holderUpdated = z.object({
  holder: storedHolder,
  changeOfRegistrant: z
    .boolean()
    .describe(
      'a .com-like (gTLD) registrant email changed: ICANN’s Change of Registrant, which the registrar confirms with both addresses; a 60-day transfer lock follows',
    ),
  transferableFrom: instant
    .nullable()
    .describe('from when the domain may change registrar, when a waiting period runs (60 days after a change of registrant or the registration); null: now'),
});

export type SignInRequest = z.input<typeof signInRequest>;
export type AccountOverview = z.input<typeof accountOverview>;
export type AccountOrder = z.input<typeof accountOrder>;
export type DnsRecordView = z.input<typeof dnsRecord>;
export type DnsRecordInput = z.input<typeof dnsRecordInput>;
export type DnsRecords = z.input<typeof dnsRecords>;
export type EmailForwarding = z.input<typeof emailForwarding>;
export type TransferOut = z.input<typeof transferOut>;
export type HolderUpdated = z.input<typeof holderUpdated>;

export const mailPresets = z.object({
  presets: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      source: z.string().describe('the provider’s page the values come from'),
      records: z.array(z.object({ type: z.string(), host: z.string(), value: z.string(), priority: z.number().int().optional() })),
    }),
  ),
});
export type MailPresets = z.input<typeof mailPresets>;
