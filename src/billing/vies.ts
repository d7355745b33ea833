// The EU's VIES service, REST API: `POST {base}/check-vat-number` with {countryCode, vatNumber}; the answer's `valid`
// says whether the number is registered (VIES "Technical information" page, REST API and its OpenAPI description).
// A member state's service being down (MS_UNAVAILABLE, TIMEOUT, …) is not an answer: the caller says try again later.
import { AppError } from '../errors.ts';
import type { VatNumberLookup } from './identity.ts';

export const VIES_PRODUCTION_URL = 'https://ec.europa.eu/taxation_customs/vies/rest-api';

export class ViesClient implements VatNumberLookup {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 5_000,
  ) {}

  async check(countryCode: string, vatNumber: string): Promise<{ valid: boolean; requestDate?: string }> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl.replace(/\/$/, '')}/check-vat-number`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ countryCode, vatNumber }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw new AppError('vat_check_unavailable', 503);
    }
    const body = (await res.json().catch(() => undefined)) as { valid?: unknown; requestDate?: unknown; errorWrappers?: { error?: string }[] } | undefined;
    // a number VIES cannot read is a bad number, not an outage
    if (res.status === 400 && body?.errorWrappers?.some((e) => e.error === 'INVALID_INPUT')) return { valid: false };
    if (!res.ok || typeof body?.valid !== 'boolean') throw new AppError('vat_check_unavailable', 503);
    return { valid: body.valid, requestDate: typeof body.requestDate === 'string' ? body.requestDate.slice(0, 10) : undefined };
  }
}
