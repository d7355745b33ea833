// What the Stripe sandbox's API modules share: Stripe's error answers, its id shapes, its form parameters.
import { randomBytes } from 'node:crypto';

export type Params = Record<string, unknown>;

export interface StripeErrorBody {
  type: 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';
  code?: string;
  message: string;
  param?: string;
}

/** An API error answer. `saved` says whether an idempotent replay returns it (Stripe saves nothing for requests that failed validation). */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly saved = false,
  ) {
    super(body.message);
  }
}

export const invalid = (message: string, code?: string, param?: string, saved = false) =>
  new StripeApiError(400, { type: 'invalid_request_error', code, message, param }, saved);
export const missingParam = (param: string) => invalid(`Missing required param: ${param}.`, 'parameter_missing', param);
export const noSuch = (what: string, id: string, param = 'id') =>
  new StripeApiError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}: '${id}'`, param });

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomId(prefix: string, length: number): string {
  let out = prefix;
  for (const byte of randomBytes(length)) out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return out;
}
