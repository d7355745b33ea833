// The domain's holder (registrant): who the customer says owns the name, and the checks that need no registry rule.

export const HOLDER_TYPES = ['individual', 'organization'] as const;
export type HolderType = (typeof HOLDER_TYPES)[number];

/** The registrant as the customer gives it; `email` is the order's when not given. */
export interface Holder {
  type: HolderType;
  firstName: string;
  lastName: string;
  organization?: string;
  /** a SIREN or SIRET for a French organisation; the national register's identifier elsewhere */
  companyId?: string;
  vatNumber?: string;
  /** YYYY-MM-DD */
  birthDate?: string;
  birthPlace?: string;
  address1: string;
  address2?: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  /** as registrars write it: +CC.NUMBER */
  phone: string;
  email?: string;
}

/** The holder as stored with an order: the order's email filled in when none was given. */
export type StoredHolder = Holder & { email: string };

export type HolderField = keyof Holder;

/**
 * Registrars' phone form, "+NNN.NNNNNNNNNN": the country calling code, a dot, the number (Namecheap's domains.create
 * documents this format for every contact's Phone).
 */
export const PHONE_FORMAT = /^\+\d{1,3}\.\d{4,14}$/;

/**
 * The Luhn key INSEE gives SIREN (9 digits) and SIRET (14 digits: the SIREN and a 5-digit establishment number):
 * from the right, every second digit doubled (minus 9 past 9), the sum a multiple of 10. La Poste's establishments
 * (SIREN 356000000) are numbered past what the key allows; INSEE checks their SIRET by the sum of its digits, a
 * multiple of 5.
 */
export function isSirenOrSiret(value: string): boolean {
  const digits = value.replace(/[\s.]/g, '');
  if (!/^(\d{9}|\d{14})$/.test(digits)) return false;
  if (digits.length === 14 && digits.startsWith('356000000') && digits !== '35600000000048') {
    return [...digits].reduce((s, d) => s + Number(d), 0) % 5 === 0;
  }
  return luhn(digits);
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** "732 829 320 00074" → "73282932000074": the identifier as registries take it. */
export function compactCompanyId(value: string): string {
  return value.replace(/[\s.-]/g, '').toUpperCase();
}

/** A real calendar date in YYYY-MM-DD, not in the future. */
export function isPastDate(value: string, now = new Date()): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return false;
  return d.getTime() <= now.getTime() && Number(m[1]) >= 1900;
}
