// The domain's holder as an order request gives it, and each TLD's rules for holders as the price list shows them.
// Field checks that need no TLD are here (each named with its own code); what a TLD asks is checked at intake
// against src/domain/tld-rules.ts, before any payment.
import { z } from 'zod';
import { isCountryCode } from '../domain/countries.ts';
import { HOLDER_TYPES, PHONE_FORMAT, isPastDate, isSirenOrSiret } from '../domain/holder.ts';
import type { ErrorCode } from '../error-codes.ts';
import { line } from './common.ts';

/** A field problem whose code is ours (src/http/app.ts reads `params.code`). */
const problem = (ctx: z.RefinementCtx, path: string, code: ErrorCode) => ctx.addIssue({ code: 'custom', path: [path], message: code, params: { code } });

/**
 * The holder's fields. Stored with the order as given (order_holders, the email filled in): the registrant of the
 * domain, and the customer's identity wherever one is needed after the order (the admin's order page, billing).
 */
const holderFields = z.object({
  type: z.enum(HOLDER_TYPES).describe('a person, or an organisation (company, association, public body)'),
  firstName: line(100),
  lastName: line(100),
  organization: line(200).optional().describe('required for an organisation: its legal name'),
  companyId: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[0-9A-Za-z .-]+$/)
    .optional()
    .describe('a SIREN (9 digits) or SIRET (14) for a French organisation, checked with its key; elsewhere the national register’s number'),
  vatNumber: z
    .string()
    .trim()
    .min(4)
    .max(20)
    .regex(/^[A-Za-z]{2}[0-9A-Za-z .-]+$/)
    .optional(),
  birthDate: z.string().trim().optional().describe('YYYY-MM-DD (a person holding a .fr name)'),
  birthPlace: line(100).optional().describe('town and postal code, or country (a person holding a .fr name)'),
  address1: line(200),
  address2: line(200).optional(),
  city: line(50),
  postalCode: line(20),
  country: z.string().trim().describe('ISO 3166-1 alpha-2, e.g. FR'),
  phone: z.string().trim().describe('as registrars write it: +CC.NUMBER, e.g. +33.612345678'),
  email: z.email().max(254).optional().describe('the order’s email when not given'),
});

export const holder = holderFields.superRefine((h, ctx) => {
  if (typeof h.country === 'string' && !isCountryCode(h.country)) problem(ctx, 'country', 'holder_country_invalid');
  if (typeof h.phone === 'string' && !PHONE_FORMAT.test(h.phone)) problem(ctx, 'phone', 'holder_phone_invalid');
  if (h.type === 'organization' && !h.organization) problem(ctx, 'organization', 'field_required');
  if (h.birthDate !== undefined && !isPastDate(h.birthDate)) problem(ctx, 'birthDate', 'holder_birth_date_invalid');
  // INSEE's numbers carry a Luhn key: a French organisation's mistyped number is caught before any payment
  if (h.companyId && h.country === 'FR' && !isSirenOrSiret(h.companyId)) problem(ctx, 'companyId', 'holder_company_id_invalid');
});

/** What a TLD asks of its holder, for the order form (src/domain/tld-rules.ts, GET /api/prices). */
export const holderRules = z.object({
  registry: z.string(),
  countries: z.array(z.string()).nullable().describe('where the holder must live or be established; null: anywhere'),
  requires: z.object({ individual: z.array(z.string()), organization: z.array(z.string()) }).describe('fields each kind of holder must give'),
  privacy: z.boolean().describe('the holder’s contact is hidden in WHOIS'),
  idn: z.boolean().describe('names with accents are sold'),
  why: z.object({ fr: z.string(), en: z.string() }),
});

/** The holder as stored with an order and read back: every field as it was accepted, the email always present. */
export const storedHolder = holderFields
  .extend({ country: z.string().length(2), phone: z.string(), email: z.string() })
  .describe('the domain’s holder (registrant) the order was placed with: who owns the name and whom an invoice names');

export type HolderInput = z.input<typeof holder>;
export type StoredHolder = z.output<typeof storedHolder>;
export type HolderRules = z.input<typeof holderRules>;
