// Settings of invoicing: whether prices include VAT, the One-Stop-Shop, the VIES check, and the rates' overrides.
import { z } from 'zod';
import { bool, group, optionalString } from './parse.ts';

/** "BE:2100,DE:1900" → { BE: 2100, DE: 1900 } (basis points) */
const rateOverrides = z.string().transform((v, ctx) => {
  const out: Record<string, number> = {};
  for (const part of v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [country, bp] = part.split(':').map((s) => s.trim());
    const n = Number(bp);
    if (!country || !/^[A-Z]{2}$/.test(country) || !Number.isInteger(n) || n < 0 || n > 10_000) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not COUNTRY:basisPoints (e.g. BE:2100 for 21 %)` });
      return z.NEVER;
    }
    out[country] = n;
  }
  return out;
});

export const billing = group(
  'Invoicing and VAT',
  'Every captured payment is invoiced and every refund credited (numbered without gaps in PostgreSQL). Prices are set including or excluding VAT by an explicit setting; the customer’s VAT case (French VAT, reverse charge, One-Stop-Shop, outside the EU, overseas departments at 8.5 % or none) follows from their billing identity.',
  {
    PRICES_INCLUDE_VAT: optionalString
      .pipe(bool.optional())
      .describe(
        '`on`: the prices set (TLD_PRICES, SERVICE_PRICE_CENTS, EXPRESS_SURCHARGE_CENTS) include French VAT; `off`: they exclude it. Required when NODE_ENV=production; `on` elsewhere',
      ),
    OSS_REGISTERED: bool
      .default(false)
      .describe(
        '`on`: registered for the EU One-Stop-Shop, so an EU consumer outside France pays their own country’s rate; `off`: French VAT (under the EUR 10,000 threshold)',
      ),
    VIES_CHECK: bool
      .default(false)
      .describe('`on`: a business customer’s EU VAT number is confirmed with the EU’s VIES service before payment (format is always checked)'),
    VIES_URL: optionalString.describe(
      'VIES REST API base, `https://ec.europa.eu/taxation_customs/vies/rest-api` in production; the sandbox world serves a look-alike when unset',
    ),
    VAT_ON_DEBITS: bool.default(false).describe('`on`: the seller opted to pay VAT on debits (CGI art. 269-2-c); invoices then say so'),
    BENCH_SKIP_INVOICES: bool
      .default(false)
      .describe(
        '`on`: payments are recorded without their invoice — only for the benchmark that measures what invoicing costs a payment (figure j); refused when NODE_ENV=production',
      ),
    VAT_RATE_OVERRIDES: optionalString
      .pipe(rateOverrides.optional())
      .describe('standard rates that differ from the table shipped in src/domain/vat-rates.ts, `COUNTRY:basisPoints` separated by commas'),
  },
);

export function billingProblems(e: { NODE_ENV?: string; SANDBOX?: string; PRICES_INCLUDE_VAT?: boolean; BENCH_SKIP_INVOICES?: boolean }): string[] {
  if (e.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  // a demonstration (SANDBOX=on) prices as development does, VAT included
  if (e.PRICES_INCLUDE_VAT === undefined && e.SANDBOX !== 'on')
    problems.push('PRICES_INCLUDE_VAT: required when NODE_ENV=production (`on`: prices include VAT, `off`: they exclude it)');
  if (e.BENCH_SKIP_INVOICES) problems.push('BENCH_SKIP_INVOICES: every payment is invoiced in production');
  return problems;
}
