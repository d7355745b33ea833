// What an order request accepts, checked before anything is stored: the terms of sale in force (their exact text is
// kept: src/legal/texts.ts), and a consumer's express request that the work start within the withdrawal period.
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { CustomerType } from '../contract/legal.ts';
import type { Locale } from '../domain/locale.ts';
import { AppError } from '../errors.ts';
import { currentText, currentVersion } from './texts.ts';

export interface ConsentRequest {
  acceptTerms?: boolean;
  termsVersion?: string;
  customerType?: CustomerType;
  earlyStart?: boolean;
}

/** A consumer's withdrawal period for a service contract concluded at a distance (Code de la consommation L221-18). */
export const WITHDRAWAL_DAYS = 14;

/** The identity an order is invoiced to, as far as who the customer is goes: the billing identity given, else the holder. */
interface Identity {
  type?: string;
  vatNumber?: string;
}

/**
 * Who the customer is, in one place: a business when the identity the order is invoiced to is an organisation or has a
 * VAT number (as its invoices will say: src/billing/identity.ts, customerKindOf), so that the withdrawal right and the
 * invoice agree; without such an identity, what the request says; else a consumer (the protective default).
 */
export function customerTypeOf(req: ConsentRequest & { billing?: Identity; holder?: Identity }): CustomerType {
  const identity = req.billing ?? req.holder;
  if (identity?.type) return identity.type === 'organization' || identity.vatNumber ? 'business' : 'consumer';
  return req.customerType ?? 'consumer';
}

export interface ConsentRecord {
  customer_type: CustomerType;
  terms_version: string;
  terms_sha256: string;
  client_ip: string | null;
  early_start_requested_at: Date | null;
}

/** The consent to store with the order, or the 422 that refuses the request (nothing stored). */
export async function consentOf(
  db: Database,
  config: Config,
  req: ConsentRequest & { billing?: Identity; holder?: Identity },
  locale: Locale,
  clientIp?: string,
): Promise<ConsentRecord> {
  if (req.acceptTerms !== true) throw new AppError('terms_not_accepted', 422, {}, { field: 'acceptTerms' });
  const current = currentVersion('terms');
  if (req.termsVersion !== undefined && req.termsVersion !== current) {
    throw new AppError('terms_version_outdated', 422, { current }, { field: 'termsVersion', current });
  }
  const type = customerTypeOf(req);
  // L221-25: the work starts within the 14 days only on the consumer's express request; our deadlines need it to
  if (type === 'consumer' && req.earlyStart !== true) throw new AppError('early_start_required', 422, {}, { field: 'earlyStart' });
  const text = await currentText(db, config, 'terms', locale);
  return {
    customer_type: type,
    terms_version: text.version,
    terms_sha256: text.sha256,
    client_ip: clientIp ?? null,
    early_start_requested_at: type === 'consumer' ? new Date() : null,
  };
}
