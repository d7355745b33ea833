// What the customer's side of the API takes and answers: the domain check, the order request, the order's status, payment links, prices, the demo.
import { z } from 'zod';
import { ORDER_STATES } from '../domain/order-state.ts';
import { apiError, instant, line, locale, oneOf, stored } from './common.ts';
import { holder, holderRules } from './holder.ts';
import { billingInput, vatSummary } from './invoices.ts';
import { satisfactionStatus } from './satisfaction.ts';
import { renewalSummary } from './renewals.ts';
import { consent } from './legal.ts';

export const TIERS = ['express', 'standard'] as const;
export type Tier = (typeof TIERS)[number];
export const PAYMENT_PROVIDERS = ['stripe', 'paypal'] as const;
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];
export type { OrderState } from '../domain/order-state.ts';

/** The pipeline's steps in their order (src/workflow/pipeline.ts declares each one; a test keeps the two lists equal). */
export const STEP_NAMES = ['register_domain', 'create_site', 'deploy_site', 'point_dns', 'wait_dns', 'secure_site', 'verify_site', 'deliver'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export const PRICE_CODES = ['domain_first_year', 'service', 'express_surcharge'] as const;
export type PriceCode = (typeof PRICE_CODES)[number];

// ---------- the domain check ----------

export const money = z.object({ amountCents: z.number().int(), currency: z.string(), premium: z.boolean() });
export const alternative = z.object({
  domain: z.string().describe('the name in ASCII (punycode)'),
  unicode: z.string().describe('the same name as people read it'),
  available: z.literal(true),
  price: money,
  confirmed: z.boolean().optional().describe('false: only RDAP or whois said it is free (the registrar was not asked); the order confirms it'),
});

export const domainCheckQuery = z.object({
  name: z.string().trim().min(1).max(300),
  businessName: line(120).optional(),
  city: line(80).optional(),
  lang: locale.optional(),
});

export const domainCheck = z.object({
  domain: z.string().describe('the name in ASCII (punycode)'),
  unicode: z.string(),
  available: z.boolean(),
  source: z.enum(['rdap', 'whois', 'registrar']).describe('who answered'),
  confirmed: z
    .boolean()
    .describe(
      'true when the registrar confirmed the answer; false when only RDAP or whois could be asked (its API budget is spent for now): the order confirms the name again',
    ),
  price: money.optional(),
  alternatives: z.array(alternative).optional().describe('available names close to a taken one'),
  reason: z.string().optional().describe('why an available name is not offered, e.g. `premium_too_expensive`'),
});

// ---------- the order request ----------

export const conciergeRequest = z.object({
  businessName: line(120),
  email: z.email().max(254),
  domain: z.string().trim().min(1).max(300),
  tier: z.enum(TIERS),
  locale: locale.optional(),
  city: line(80).optional(),
  paymentProvider: z.enum(PAYMENT_PROVIDERS).optional(),
  autoRenew: z
    .boolean()
    .optional()
    .describe(
      'Automatic yearly renewal, on when omitted: the payment method is saved at payment (Stripe) and charged `RENEWAL_CHARGE_DAYS_BEFORE` days before the domain expires, after email reminders; it can be turned off at any time',
    ),
  holder: holder.describe(
    'The domain’s holder (registrant): the person or organisation who will own the name. Each TLD asks its own (GET /api/prices: `tlds[].holder`); a holder the TLD does not accept is 422 `holder_not_eligible`, naming the rule, with the names under TLDs it may hold.',
  ),
  requestedDomain: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .optional()
    .describe(
      'The name first asked for, when `domain` is another name ordered instead (one of its alternatives, or any available name). ' +
        'It is checked again: a name that is in fact available is 422 `requested_domain_available`, a malformed one 422 `requested_domain_invalid`. ' +
        'The order’s timeline then says that it was taken, which alternatives were offered (with their price) and which one was ordered.',
    ),
  billing: billingInput.optional(),
  ...consent.shape,
});

/** The refusal of an order for a name that cannot be had, with the names close to it that can. */
export const domainRefused = apiError.extend({ domain: z.string(), alternatives: z.array(alternative).describe('available names close to it, priced') });

/** The refusal of a holder a TLD does not accept, with the names under TLDs it may hold. */
export const holderRefused = apiError.extend({
  tld: z.string(),
  eligibleTlds: z.array(z.string()).describe('the TLDs we sell this holder may hold a name under'),
  alternatives: z.array(alternative).describe('the same name under those TLDs, when RDAP or whois says it is free (not confirmed: the order confirms it)'),
});

export const price = z.object({
  currency: z.string(),
  items: z.array(z.object({ code: oneOf(PRICE_CODES), amountCents: z.number().int() })),
  totalCents: z.number().int().describe('what is paid, VAT included when due (`vat`)'),
  vat: vatSummary.optional().describe('the VAT of this customer’s case: the list prices (`items`) excluding or including VAT, and what is paid'),
});

export const conciergeCreated = z.object({
  orderId: z.string(),
  trackingToken: z.string(),
  statusUrl: z.string(),
  trackingUrl: z.string(),
  paymentUrl: z.string().describe('the provider’s checkout page, or our stable /pay link that leads there once it exists'),
  domain: z.string(),
  price: price.extend({ premium: z.boolean() }),
  deadline: z.object({ tier: z.enum(TIERS), hours: z.number(), countedFrom: z.literal('payment'), ifPaidNow: instant }),
  renewal: z
    .object({ amountCents: z.number().int(), currency: z.string(), autoRenew: z.boolean() })
    .describe(
      'next year’s price (the domain’s renewal, a premium name at its registry’s renewal price, and the service), with VAT as `price.vat` applies it: what is charged before expiry when auto-renewal is on',
    ),
});

export const paymentLink = z.object({ paymentUrl: z.string(), expiresAt: instant, provider: z.enum(PAYMENT_PROVIDERS) });

// ---------- the order's status ----------

export const stepView = z.object({
  step: oneOf(STEP_NAMES),
  phase: z.number().int(),
  state: z.enum(['done', 'current', 'todo', 'failed']),
  etaSeconds: z.number(),
  finishedAt: instant.optional(),
});

export const timelineEntry = z.object({
  id: z.number().int(),
  type: z.string(),
  at: instant,
  message: z.string().describe('in the order’s language, or `?lang=`'),
  until: z.string().optional().describe('site_publish_waiting: when the host takes the deploy'),
});

/** An uploaded static site, as the API summarises it. */
export const archiveSummary = z.object({ files: z.number().int(), size: z.number(), contentBytes: z.number(), uploadedAt: instant });

/** What deliver records: the time of each phase, the total, and whether the deadline held. */
export const completionReport = z.object({
  phases: z.object({
    request: z.number().nullable(),
    afterPayment: z.number().nullable(),
    deployment: z.number().nullable(),
    finalisation: z.number().nullable(),
  }),
  totalSeconds: z.number().nullable(),
  paidAt: instant,
  deliveredAt: instant,
  deadlineAt: instant,
  deadlineMet: z.boolean(),
});

export const orderStatus = z.object({
  orderId: z.string(),
  state: z.enum(ORDER_STATES),
  final: z.boolean(),
  domain: z.string(),
  domainUnicode: z.string(),
  tier: z.enum(TIERS),
  locale,
  businessName: z.string(),
  price,
  deadline: z.object({ hours: z.number(), countedFrom: z.literal('payment'), at: instant.nullable() }),
  paidAt: instant.nullable(),
  elapsedSeconds: z.number().nullable(),
  currentStep: oneOf(STEP_NAMES).nullable(),
  steps: z.array(stepView),
  eta: instant.nullable().describe('when the site should be live, from the remaining steps’ usual durations'),
  currentStepEtaSeconds: z.number().nullable(),
  payment: z
    .object({ state: z.enum(['awaiting', 'processing']) })
    .nullable()
    .describe(
      'before payment: `awaiting` (to pay at paymentUrl), or `processing` (paid by a delayed method such as SEPA Debit, the money on its way: the deadline starts when it arrives); null once paid',
    ),
  paymentUrl: z.string().optional(),
  trackingUrl: z.string(),
  siteUrl: z.string().nullable(),
  editorUrl: z.string(),
  editorOpen: z.boolean().describe('the editor is worth offering: the order can still go live (or is live)'),
  site: z
    .object({ archive: archiveSummary.nullable(), archiveAllowed: z.boolean(), archiveMaxMb: z.number(), archiveMaxFiles: z.number() })
    .describe('the site’s content at order time: an uploaded archive, whether one may still be sent, and its limits'),
  alternatives: stored(z.array(z.object({ domain: z.string(), amountCents: z.number().int() })))
    .optional()
    .describe('domain_unavailable: the names offered instead (POST …/domain picks one)'),
  report: stored(completionReport).optional(),
  satisfaction: satisfactionStatus.nullable().describe('"Are you satisfied?", once the order is delivered or refunded; null before'),
  renewal: renewalSummary.optional().describe('the yearly renewal, once the order is delivered: its date, price, auto-renewal and saved card'),
  lastEventId: z.number().int(),
  timelineAfter: z.number().int().describe('the live stream’s: its timeline holds only the events after this id (0: all of them)'),
  timeline: z.array(timelineEntry),
});

export const domainChoice = z.object({ domain: z.string().trim().min(1).max(300) });

// ---------- the price list, the demo ----------

export const priceList = z.object({
  currency: z.string(),
  serviceCents: z.number().int(),
  expressSurchargeCents: z.number().int(),
  renewalServiceCents: z.number().int().describe('the service’s yearly renewal fee: a year’s renewal costs the domain’s price plus this'),
  renewalChargeDaysBefore: z.number().describe('with automatic renewal, the saved payment method is charged this many days before expiry'),
  expressHours: z.number(),
  standardHours: z.number(),
  tlds: z.array(z.object({ tld: z.string(), amountCents: z.number().int(), holder: holderRules })),
  vat: z
    .object({ pricesIncludeVat: z.boolean(), rateBp: z.number().int() })
    .optional()
    .describe(
      'whether these prices include French VAT, and its rate (basis points): a consumer pays them VAT included, a business sees them excluding VAT too',
    ),
});

export const DEMO_SCENARIOS = ['available', 'unavailable', 'urgent', 'api_error', 'renewal', 'renewal_declined'] as const;

export const demoRequest = z.object({
  scenario: z.enum(DEMO_SCENARIOS),
  paymentProvider: z
    .enum(PAYMENT_PROVIDERS)
    .optional()
    .describe('stripe by default; the renewal scenarios pay by Stripe unless PAYPAL_VAULT is on, when paypal renews with the saved PayPal'),
  locale: locale.optional(),
  timeoutSeconds: z.number().int().min(5).max(600).optional(),
  tld: z
    .enum(['fr', 'com'])
    .optional()
    .describe('the extension of the demo’s name: fr by default; com has a registrar lock to remove when the domain is transferred out'),
});

export const demoAnswer = z.object({
  scenario: z.enum(DEMO_SCENARIOS),
  requestedDomain: z.string().describe('the name the demo asked for first: taken in the `unavailable` scenario, else the name ordered'),
  alternatives: z
    .array(z.object({ domain: z.string(), priceCents: z.number().int(), currency: z.string() }))
    .describe('the names offered instead of a taken `requestedDomain`, with their first-year price (empty when it was free)'),
  orderId: z.string(),
  trackingToken: z.string(),
  domain: z.string().describe('the name ordered'),
  state: z.enum(ORDER_STATES),
  timeline: z.array(timelineEntry).describe('in the order’s language'),
  report: stored(completionReport).nullable(),
});

// ---------- payment webhooks ----------

// ---------- as the web receives them ----------

export type Money = z.input<typeof money>;
export type Alternative = z.input<typeof alternative>;
export type DomainCheck = z.input<typeof domainCheck>;
export type ConciergeRequest = z.input<typeof conciergeRequest>;
export type ConciergeCreated = z.input<typeof conciergeCreated>;
export type DomainRefused = z.input<typeof domainRefused>;
export type HolderRefused = z.input<typeof holderRefused>;
export type Price = z.input<typeof price>;
export type StepView = z.input<typeof stepView>;
export type TimelineEntry = z.input<typeof timelineEntry>;
export type ArchiveSummary = z.input<typeof archiveSummary>;
export type OrderStatus = z.input<typeof orderStatus>;
export type PriceList = z.input<typeof priceList>;

export const webhookReceived = z.object({
  received: z.literal(true),
  duplicate: z.boolean().describe('the event id was seen before: nothing more is done'),
});
