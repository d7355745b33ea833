// What the terms of sale and personal data routes take and answer: the consent an order carries, the legal documents'
// versions, a customer's data export and erasure.
import { z } from 'zod';
import { instant, locale } from './common.ts';

export const CUSTOMER_TYPES = ['consumer', 'business'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

/** The fields of an order request that record what the customer accepted (stored with the order). */
export const consent = z.object({
  acceptTerms: z
    .literal(true)
    .describe(
      'the customer accepts the terms of sale (GET /api/legal: the version in force and its page); without it, 422 `terms_not_accepted` and nothing is stored',
    ),
  termsVersion: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .optional()
    .describe('the version of the terms the customer read; another than the one in force is 422 `terms_version_outdated`. Unset: the one in force'),
  customerType: z
    .enum(CUSTOMER_TYPES)
    .optional()
    .describe(
      '`consumer` (the default) or `business`: a business ordering for its trade has no right of withdrawal. When the order names who is invoiced (its holder, or its billing identity), that decides: an organisation or a VAT number is a business',
    ),
  earlyStart: z
    .boolean()
    .optional()
    .describe(
      'a consumer’s express request that the work start before the 14-day withdrawal period ends, acknowledging that the right of withdrawal is lost once the site is delivered (Code de la consommation L221-25, L221-28 1°). Required (true) of a consumer: 422 `early_start_required` otherwise; ignored for a business',
    ),
});

const legalDocumentRef = z.object({
  version: z.string().describe('the version in force: the day it took effect'),
  urls: z.object({ fr: z.string(), en: z.string() }).describe('its pages'),
});

export const legalInfo = z.object({
  terms: legalDocumentRef,
  privacy: legalDocumentRef,
  notice: z.object({ urls: z.object({ fr: z.string(), en: z.string() }) }),
  withdrawalDays: z.number().int().describe('a consumer’s withdrawal period'),
  unpaidRetentionDays: z.number().int().describe('an unpaid order’s personal data is erased after this many days'),
});

export const legalPageQuery = z.object({
  version: z.string().max(40).optional().describe('a version (its date); unset: the one in force'),
  text: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
    .describe('the sha256 of an exact text as published (what an order accepted: its export says which)'),
});

const keptItem = z.object({
  key: z.enum(['invoices', 'contract', 'payments', 'domain', 'opt_out']),
  what: z.string(),
  why: z.string(),
  until: z.string(),
});

export const erasureRequest = z.object({
  confirm: z.literal(true).describe('erasure cannot be undone: the customer confirms it'),
  lang: locale.optional(),
});

export const erasureResult = z.object({
  erasedAt: instant.describe('when the data was erased (the first time, for a repeated request)'),
  orders: z.number().int().describe('the orders placed with this address whose personal data is erased'),
  erased: z.string().describe('what was erased'),
  kept: z.array(keptItem).describe('what is kept, why and until when'),
  alreadyErased: z.boolean().describe('true when this address had nothing left to erase (a repeated request)'),
});

export type LegalInfo = z.input<typeof legalInfo>;
export type ErasureResult = z.input<typeof erasureResult>;
