// The VAT of a quote as the customer reads it (the API's `price.vat`, the emails, the tracking page).
import type { OrderTax } from './identity.ts';

export function vatSummaryOf(tax: OrderTax) {
  return {
    case: tax.treatment.case,
    customerKind: tax.customerKind,
    rateBp: tax.treatment.rateBp,
    pricesIncludeVat: tax.pricesIncludeVat,
    totalExclVatCents: tax.totalExclVatCents,
    vatCents: tax.vatCents,
    totalInclVatCents: tax.totalInclVatCents,
    mention: tax.treatment.mention,
  };
}
