// How a saved payment method is shown: a card by its brand and last digits, a PayPal account by its payer's email
// masked. Never its provider reference (a token can be charged; what is shown cannot).

export interface ShownMethod {
  brand: string;
  last4?: string;
  /** a PayPal account: the payer's email as maskEmail left it */
  payerEmail?: string;
}

/** "camille.sandbox@example.org" → "c•••x@example.org": the first and last letters of the name, the domain as it is. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  const name = email.slice(0, at);
  const shown = name.length <= 2 ? `${name[0]}•••` : `${name[0]}•••${name[name.length - 1]}`;
  return `${shown}${email.slice(at)}`;
}

/** "visa •••• 4242", "PayPal (c•••x@example.org)". */
export function methodLabel(m: ShownMethod): string {
  if (m.brand === 'paypal') return m.payerEmail ? `PayPal (${m.payerEmail})` : 'PayPal';
  return `${m.brand} •••• ${m.last4 ?? ''}`;
}

/** What a renewals row shows of its saved method (card_brand, card_last4, payer_email_masked), if it has one. */
export function shownMethodOf(r: { card_brand: string | null; card_last4: string | null; payer_email_masked?: string | null } | undefined): ShownMethod | null {
  if (!r) return null;
  if (r.card_brand === 'paypal') return { brand: 'paypal', ...(r.payer_email_masked ? { payerEmail: r.payer_email_masked } : {}) };
  return r.card_last4 ? { brand: r.card_brand ?? 'card', last4: r.card_last4 } : null;
}
